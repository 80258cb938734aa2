"""The change feed: every committed change is appended, gap-free, to the feed of each reader.

``commit`` (called by ``backend.services.writes.Changes.commit``) turns the items a change
wrote into feed entries, one per reader (``audience``), and applies them in the SAME
transaction as the change: for each feed it takes the ``SyncState`` item ``(feedId, "feed")``'s
``lastSeq`` (read strongly consistently, or remembered from this process's last append to that
feed), sets it to ``lastSeq + n`` under the condition that it still holds that value, and puts
the entries ``lastSeq + 1 .. lastSeq + n``. Two commits racing for one feed cannot both win:
the loser's transaction is cancelled; when only the feed actions failed (another process
appended), the counters are read again and the transaction retried once, else the operation is
retried (``@retrying``). Seqs have no gaps and never repeat. Within one process, appends to a
feed queue on a lock, so they do not race at all.

An item that stops being visible to someone (a reflection un-shared, a goal's mentor
replaced) is appended to that reader's feed as a removal (``deleted``, no item).
Entries carry ``_ttl`` and expire with the tombstones (default 180 days).

After the change's transaction, mentors' public profiles go to their mentees' feeds in
transactions of their own (``mentor_profiles``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.clock import Clock, utc_iso
from protocol.entities import wire_key

from ..storage.base import Put, Store, TransactAction, Update
from ..storage.conditions import AttrEquals, ItemNotExists, SortKeyCondition
from ..storage.errors import StorageError, TransactionCancelled
from ..storage.items import MAX_TRANSACTION_ACTIONS, Item
from ..storage.tables import Table
from . import mentor_profiles
from .audience import audience
from .entities import ENTITY_OF_TABLE
from .runtime import SyncRuntime
from .wire import wire_item, wire_item_key

log = logging.getLogger(__name__)

FEED_TABLE = Table.CHANGE_FEED
STATE_TABLE = Table.SYNC_STATE
FEED_STATE_NAME = "feed"


class TooManyActions(ValueError):
    """An operation wrote more than one DynamoDB transaction can hold with its feed entries.

    A bug in the operation (it must split its writes), never a user error.
    """


@dataclass(frozen=True)
class WrittenItem:
    """One item a change writes, and the item it replaces (``None`` for a new one)."""

    table: str
    item: Item
    before: Item | None


@dataclass(frozen=True)
class PlannedEntry:
    entity: str
    key: dict[str, Any]
    version: int
    deleted: bool
    item: dict[str, Any] | None


def state_key(feed_id: str) -> dict[str, str]:
    return {"ownerId": feed_id, "name": FEED_STATE_NAME}


def plan_entries(written: Iterable[WrittenItem]) -> dict[str, list[PlannedEntry]]:
    """The entries each feed gets for these writes, in write order."""
    planned: dict[str, list[PlannedEntry]] = {}
    for w in written:
        entity = ENTITY_OF_TABLE.get(w.table)
        if entity is None:
            continue
        readers = audience(w.table, w.item)
        deleted = bool(w.item.get("_deleted"))
        version = int(w.item.get("_version", 0))
        for reader in readers:
            key = wire_item_key(w.table, entity, w.item, reader)
            item = None if deleted else wire_item(w.table, w.item, reader)
            planned.setdefault(reader, []).append(PlannedEntry(entity, key, version, deleted, item))
        if w.before is not None and not w.before.get("_deleted"):
            for former in audience(w.table, w.before):
                if former not in readers:
                    key = wire_item_key(w.table, entity, w.before, former)
                    planned.setdefault(former, []).append(
                        PlannedEntry(entity, key, version, True, None)
                    )
    return planned


async def last_seqs(store: Store, feed_ids: Sequence[str]) -> dict[str, int]:
    """Each feed's last seq (0 for a feed with no entries yet), strongly consistent."""
    states = await store.batch_get(STATE_TABLE, [state_key(f) for f in feed_ids])
    return {f: int(s["lastSeq"]) if s else 0 for f, s in zip(feed_ids, states, strict=True)}


def feed_actions(
    planned: dict[str, list[PlannedEntry]],
    states: dict[str, Item | None],
    *,
    at: str,
    expires: int,
) -> tuple[list[TransactAction], dict[str, int]]:
    """The counter updates and entry puts for ``planned``, and each feed's new last seq."""
    actions: list[TransactAction] = []
    new_seqs: dict[str, int] = {}
    for feed_id, entries in planned.items():
        state = states.get(feed_id)
        last = int(state["lastSeq"]) if state else 0
        new_last = last + len(entries)
        actions.append(
            Update(
                STATE_TABLE,
                state_key(feed_id),
                set={"lastSeq": new_last, "updatedAt": at},
                condition=AttrEquals("lastSeq", last) if state else ItemNotExists(),
            )
        )
        for offset, entry in enumerate(entries, start=1):
            stored: dict[str, Any] = {
                "feedId": feed_id,
                "seq": last + offset,
                "entity": entry.entity,
                "key": entry.key,
                "version": entry.version,
                "deleted": entry.deleted,
                "at": at,
                "_ttl": expires,
            }
            if entry.item is not None:
                stored["item"] = entry.item
            actions.append(Put(FEED_TABLE, stored, ItemNotExists()))
        new_seqs[feed_id] = new_last
    return actions, new_seqs


async def commit(
    store: Store,
    clock: Clock,
    runtime: SyncRuntime,
    actions: Sequence[TransactAction],
    written: Sequence[WrittenItem],
) -> None:
    """Apply ``actions`` with the feed entries of ``written``, all in one transaction; then
    send mentors' public profiles to the mentees' feeds (``mentor_profiles``).

    Raises ``ConditionFailed`` / ``TransactionCancelled`` when a version or a feed counter
    changed meanwhile; the caller turns that into a retry.
    """
    planned = plan_entries(written)
    if planned:
        await _append(store, clock, runtime, actions, planned)
    else:
        await _apply(store, actions)
    await _fan_out_mentor_profiles(store, clock, runtime, written)


async def _append(
    store: Store,
    clock: Clock,
    runtime: SyncRuntime,
    actions: Sequence[TransactAction],
    planned: dict[str, list[PlannedEntry]],
) -> None:
    now = clock.now()
    at, expires = utc_iso(now), int((now + runtime.settings.ttl).timestamp())
    async with runtime.feed_locks(planned):
        known = runtime.remembered_seqs(planned)
        for attempt in (1, 2):
            states = await _feed_states(store, planned, known)
            extra, new_seqs = feed_actions(planned, states, at=at, expires=expires)
            if len(actions) + len(extra) > MAX_TRANSACTION_ACTIONS:
                raise TooManyActions(
                    f"{len(actions)} writes and {len(extra)} feed actions exceed the "
                    f"{MAX_TRANSACTION_ACTIONS} actions of one transaction"
                )
            try:
                await store.transact([*actions, *extra])
            except TransactionCancelled as exc:
                runtime.forget_seqs(planned)
                known = {}
                only_feeds = all(r is None for r in exc.reasons[: len(actions)])
                if attempt == 1 and only_feeds and any(exc.reasons):
                    continue  # another process appended: read the counters and try again
                raise
            runtime.remember_seqs(new_seqs)
            break
    runtime.pokes.publish(new_seqs)


async def _fan_out_mentor_profiles(
    store: Store, clock: Clock, runtime: SyncRuntime, written: Sequence[WrittenItem]
) -> None:
    """After the change is committed, in transactions of their own (a mentor may have more
    mentees than one transaction holds); a failure is logged, never the change's failure."""
    profiles = await mentor_profiles.fanout(store, written)
    planned = {
        mentee: [
            PlannedEntry("USER", wire_key("USER", p), int(p.get("_version", 0)), False, p)
            for p in items
        ]
        for mentee, items in profiles.items()
    }
    for group in mentor_profiles.chunks(planned):
        try:
            await _append(store, clock, runtime, [], group)
        except StorageError as exc:
            log.warning("mentor profiles not sent to %s: %s", ", ".join(group), exc)


async def _feed_states(
    store: Store, planned: dict[str, list[PlannedEntry]], known: dict[str, int]
) -> dict[str, Item | None]:
    """Each feed's counter item: remembered by this process, else read strongly consistently."""
    states: dict[str, Item | None] = {f: {"lastSeq": seq} for f, seq in known.items()}
    unknown = [f for f in planned if f not in known]
    if unknown:
        found = await store.batch_get(STATE_TABLE, [state_key(f) for f in unknown])
        states.update(zip(unknown, found, strict=True))
    return states


async def _apply(store: Store, actions: Sequence[TransactAction]) -> None:
    if len(actions) == 1 and isinstance(actions[0], Put):
        put = actions[0]
        await store.put(put.table, put.item, condition=put.condition)
    else:
        await store.transact(actions)


async def read_feed(
    store: Store, feed_id: str, after_seq: int, limit: int
) -> tuple[list[Item], bool]:
    """Up to ``limit`` entries after ``after_seq`` in seq order, and whether more follow."""
    entries: list[Item] = []
    cursor: str | None = None
    while True:
        page = await store.query(
            FEED_TABLE,
            feed_id,
            sk=SortKeyCondition.gt(after_seq),
            limit=min(1000, limit + 1 - len(entries)),
            cursor=cursor,
        )
        entries += page.items
        cursor = page.cursor
        if cursor is None or len(entries) > limit:
            break
    return entries[:limit], len(entries) > limit


async def recent_entries(store: Store, feed_id: str, up_to_seq: int, limit: int) -> list[Item]:
    """The newest entries up to ``up_to_seq``, newest first."""
    if up_to_seq < 1:
        return []
    page = await store.query(
        FEED_TABLE, feed_id, sk=SortKeyCondition.le(up_to_seq), ascending=False, limit=limit
    )
    return page.items
