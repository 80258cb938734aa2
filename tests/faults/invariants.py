"""The S6 invariants, checked after a fault scenario has gone quiet (docs/sync-protocol.md 7):
no local write lost, none applied twice, every rejection visible, every device holding the
same rows, and each change feed gap-free.

The write checks read the ``FaultProxy``'s log: the proxy keeps every answer the server gave,
even the ones a fault kept from the device, so the server's word on each (clientId,
mutationId) can be checked directly instead of trusted from the devices. The feed checks open
the server's own storage (its SQLite file, or its DynamoDB tables on moto).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from backend.storage.dynamodb_engine import DynamoDBEngine
from backend.storage.engine import Engine
from backend.storage.sqlite_engine import SQLiteEngine
from tests.faults.proxy import FaultProxy
from tests.sync.real_server import Device

FINAL_STATUSES = ("APPLIED", "MERGED", "REJECTED", "CONFLICT")
"""What the server answers the one time it takes a change in; every later answer is DUPLICATE."""
WITH_ISSUE = ("REJECTED", "CONFLICT")
UNANSWERED = "UNANSWERED"
"""A change committed by a request whose answer never left the server (it was killed)."""

MutationKey = tuple[str, int]  # (clientId, mutationId)


@dataclass(frozen=True)
class Answer:
    """The server's result for one change, as it left the server (delivered or not)."""

    client_id: str
    mutation_id: int
    status: str
    order: int  # the answer's place among all answers the proxy saw
    issue_id: str | None
    version: int | None


def push_answers(proxy: FaultProxy) -> dict[MutationKey, list[Answer]]:
    """Every result the server gave to a ``PushChanges``, by (clientId, mutationId), in the
    order the server gave them. Answers without ``data`` (a refused request, a server killed
    mid-request) carry no results and are left out."""
    found: dict[MutationKey, list[Answer]] = {}
    for exchange in proxy.sent("PushChanges"):
        client_id = exchange.json()["variables"]["input"]["clientId"]
        for body, order in zip(exchange.answers, exchange.answered_at, strict=True):
            payload = _json_or_none(body)
            data = (payload or {}).get("data") or {}
            for result in (data.get("pushChanges") or {}).get("results", []):
                key = (client_id, int(result["mutationId"]))
                found.setdefault(key, []).append(
                    Answer(
                        client_id,
                        key[1],
                        result["status"],
                        order,
                        result.get("issueId"),
                        result.get("version"),
                    )
                )
    for answers in found.values():
        answers.sort(key=lambda a: a.order)
    return found


def assert_each_write_answered_once(proxy: FaultProxy) -> dict[MutationKey, Answer]:
    """Each change a device sent was taken in by the server exactly once: ONE answer that is
    not DUPLICATE, given before any DUPLICATE answer for it, or else (the server died while
    it worked on the request) a request that reached the server and got no answer before
    the first DUPLICATE; and every mutation id of a client from 1 up was taken in (none
    skipped, so none lost). Returns each change's final answer: the server's, or for a
    change committed by a request that died with the server, ``UNANSWERED``.
    """
    answers = push_answers(proxy)
    cut_off = _cut_off_requests(proxy)
    sent = {
        (e.json()["variables"]["input"]["clientId"], mutation_id)
        for e in proxy.sent("PushChanges")
        for mutation_id in e.mutation_ids
    }
    unanswered = sorted(sent - answers.keys())
    assert not unanswered, f"changes the server never answered: {unanswered}"
    final: dict[MutationKey, Answer] = {}
    for key, given in sorted(answers.items()):
        statuses = [a.status for a in given]
        taken = [a for a in given if a.status != "DUPLICATE"]
        assert len(taken) <= 1, f"{key} was taken in {len(taken)} times: {statuses}"
        if taken:
            assert given[0] is taken[0], f"{key} was a DUPLICATE before it applied: {statuses}"
            assert taken[0].status in FINAL_STATUSES, f"{key}: {statuses}"
            final[key] = taken[0]
            continue
        died = [order for order in cut_off.get(key, []) if order < given[0].order]
        assert died, f"{key} was only ever a DUPLICATE, no request of it died: {statuses}"
        final[key] = Answer(key[0], key[1], UNANSWERED, died[0], None, None)
    by_client: dict[str, list[int]] = {}
    for client_id, mutation_id in final:
        by_client.setdefault(client_id, []).append(mutation_id)
    for client_id, ids in by_client.items():
        assert sorted(ids) == list(range(1, len(ids) + 1)), f"{client_id} skipped ids: {ids}"
    return final


def _cut_off_requests(proxy: FaultProxy) -> dict[MutationKey, list[int]]:
    """For each change, when a request carrying it reached the server and got no answer
    (the connection to the server broke: a server killed mid-request)."""
    found: dict[MutationKey, list[int]] = {}
    for exchange in proxy.sent("PushChanges"):
        client_id = exchange.json()["variables"]["input"]["clientId"]
        for status, order in zip(exchange.statuses, exchange.answered_at, strict=True):
            if status == 0:
                for mutation_id in exchange.mutation_ids:
                    found.setdefault((client_id, mutation_id), []).append(order)
    return found


def assert_issues_visible(final: dict[MutationKey, Answer], devices: Sequence[Device]) -> None:
    """Every change that did not apply as sent left an issue that every device holds: each
    REJECTED or CONFLICT answer, and a MERGED one that reports a discarded edit (a todo
    delete meeting an edit carries an ``issueId``)."""
    for key, answer in final.items():
        if answer.status in WITH_ISSUE:
            assert answer.issue_id, f"{key} was {answer.status} without an issue"
        if answer.issue_id is None:
            continue
        for device in devices:
            assert device.store.issue(answer.issue_id) is not None, (
                f"{device.path.name} does not show issue {answer.issue_id} of {key}"
            )


def assert_devices_identical(devices: Sequence[Device], witness: Device | None = None) -> None:
    """Nothing pending anywhere, and every device (and a fresh ``witness`` that only pulled)
    holds the same rows and the same sync issues."""
    everyone = [*devices, *([witness] if witness is not None else [])]
    for device in everyone:
        assert device.store.pending() == 0, f"{device.path.name} still has pending changes"
    first, *others = everyone
    for other in others:
        assert other.rows() == first.rows(), (
            f"{other.path.name} differs from {first.path.name}: {row_differences(first, other)}"
        )
        assert _issue_states(other) == _issue_states(first), (
            f"{other.path.name}'s issues differ from {first.path.name}'s"
        )


def assert_no_write_lost_or_doubled(
    proxy: FaultProxy, devices: Sequence[Device], witness: Device | None = None
) -> dict[MutationKey, Answer]:
    """All the write invariants of S6 at once (see the functions above); the final answers."""
    final = assert_each_write_answered_once(proxy)
    assert_issues_visible(final, [*devices, *([witness] if witness is not None else [])])
    assert_devices_identical(devices, witness)
    return final


def row_differences(one: Device, other: Device) -> list[tuple[Any, ...]]:
    """The attributes on which the two devices' rows differ: (entity, row, name, one, other)."""
    found: list[tuple[Any, ...]] = []
    mine, theirs = one.rows(), other.rows()
    for entity, rows in mine.items():
        if len(rows) != len(theirs[entity]):
            found.append((entity, "count", len(rows), len(theirs[entity])))
            continue
        for n, (a, b) in enumerate(zip(rows, theirs[entity], strict=True)):
            for name in sorted(set(a) | set(b)):
                left, right = a.get(name, "<absent>"), b.get(name, "<absent>")
                if left != right:
                    found.append((entity, n, name, left, right))
    return found


def _issue_states(device: Device) -> list[tuple[str, str]]:
    return sorted((i.issue_id, i.status) for i in device.store.issues(None))


def _json_or_none(body: bytes) -> Any:
    try:
        return orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return None


# -- the server's own storage ---------------------------------------------------------------


@contextlib.asynccontextmanager
async def server_storage(server: Any) -> AsyncIterator[Engine]:
    """The storage engine of a ``ServerProcess`` (tests/conftest.py), opened beside it."""
    engine: Engine
    if server.dynamodb_url is not None:
        engine = DynamoDBEngine(endpoint_url=server.dynamodb_url, table_prefix=server.table_prefix)
    else:
        engine = SQLiteEngine(server.db)
    try:
        yield engine
    finally:
        await engine.close()


async def feed_entries(engine: Engine, feed_id: str) -> list[dict[str, Any]]:
    """Every entry still kept in ``feed_id``'s change feed, in seq order."""
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await engine.query("ChangeFeed", feed_id, limit=1000, cursor=cursor)
        entries += page.items
        cursor = page.cursor
        if cursor is None:
            return entries


async def feed_last_seq(server: Any, feed_id: str) -> int:
    """The feed's counter (``SyncState`` ``(feedId, "feed")``): 0 before its first entry."""
    async with server_storage(server) as engine:
        state = await engine.get("SyncState", {"ownerId": feed_id, "name": "feed"})
    return int(state["lastSeq"]) if state else 0


async def assert_feed_gap_free(server: Any, feed_id: str, *, expired_head: bool = False) -> None:
    """The feed's seqs run 1..lastSeq with no gap or repeat (``expired_head``: the oldest
    entries may have expired, the rest still runs without a gap up to lastSeq), and along
    them each item's version strictly increases (no change was appended out of order)."""
    async with server_storage(server) as engine:
        entries = await feed_entries(engine, feed_id)
        state = await engine.get("SyncState", {"ownerId": feed_id, "name": "feed"})
    last = int(state["lastSeq"]) if state else 0
    seqs = [int(e["seq"]) for e in entries]
    first = seqs[0] if expired_head and seqs else 1
    assert seqs == list(range(first, last + 1)), f"feed {feed_id}: seqs {seqs}, lastSeq {last}"
    versions: dict[tuple[str, str], int] = {}
    for entry in entries:
        item_key = (str(entry["entity"]), repr(sorted(entry["key"].items())))
        version = int(entry["version"])
        assert version > versions.get(item_key, 0), f"feed {feed_id}: {item_key} went back"
        versions[item_key] = version


USER_TABLES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    # table: (the index by user, or None for a table keyed by userId; the item's key names)
    "Goals": ("GoalsByUser", ("goalId",)),
    "Habits": ("HabitsByUser", ("habitId",)),
    "HabitCompletions": ("CompletionsByUser", ("habitId", "date")),
    "Reflections": (None, ("userId", "date")),
    "Todos": (None, ("todoId",)),
}


async def server_items(server: Any, user_id: str) -> dict[str, dict[tuple[str, ...], Any]]:
    """The user's goals, habits, completions, reflections and todos as the server stores
    them, tombstones included, by table and key: to compare before and after a fault."""
    found: dict[str, dict[tuple[str, ...], Any]] = {}
    async with server_storage(server) as engine:
        for table, (index, key_names) in USER_TABLES.items():
            items: dict[tuple[str, ...], Any] = {}
            cursor = None
            while True:
                page = await engine.query(table, user_id, index=index, limit=1000, cursor=cursor)
                for item in page.items:
                    items[tuple(str(item[k]) for k in key_names)] = item
                cursor = page.cursor
                if cursor is None:
                    break
            found[table] = items
    return found
