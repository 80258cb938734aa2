"""S6, the device's faults: the app killed between its local commit and the push (and after
the server committed a push whose answer it never stored), device clocks a day off, and a
device offline past the tombstone floor (its cursor is older than the oldest kept entry).
Real server on both engines, devices through the ``FaultProxy``."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backend.storage.engine import Engine
from domain.clock import FixedClock
from sync.entities import Entity
from tests.faults.invariants import (
    assert_feed_gap_free,
    assert_no_write_lost_or_doubled,
    server_items,
    server_storage,
)
from tests.faults.proxy import Fault, FaultProxy
from tests.storage.expiry import expire
from tests.sync.real_server import Device, sign_up

REPO = Path(__file__).resolve().parents[2]
WRITES = 7  # what write_a_day writes


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def run_device_that_dies(db: Path, when: str, url: str | None = None) -> None:
    """``tests/faults/killed_device.py`` in a child process; it must end by SIGKILL."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.faults.killed_device", str(db), when, *filter(None, [url])],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr


async def assert_todos_written_once(server: Any, user_id: str) -> None:
    todos = (await server_items(server, user_id))["Todos"]
    assert len(todos) == 3 and {t["_version"] for t in todos.values()} == {1}


# -- the app killed -------------------------------------------------------------------------


async def test_a_device_killed_before_its_push_keeps_its_outbox_and_syncs_it_once(
    server, proxy: FaultProxy, devices
):
    email = sign_up(server.url)
    phone = await devices(email, "phone")
    await phone.close()  # the child process has the file to itself

    run_device_that_dies(phone.path, "before-push")

    reopened = await devices(email, "phone")
    assert reopened.store.pending() == WRITES
    assert reopened.store.status().label == f"Offline · {WRITES} pending"
    report = await reopened.sync()
    [push] = proxy.sent("PushChanges")  # one sync, one request
    assert push.mutation_ids == list(range(1, WRITES + 1))
    assert (report.applied, report.duplicate) == (WRITES, 0)
    witness = await devices(email, "witness", like=reopened)
    await witness.sync()
    assert_no_write_lost_or_doubled(proxy, [reopened], witness)
    await assert_todos_written_once(server, reopened.store.user_id())
    await assert_feed_gap_free(server, reopened.store.user_id())


async def test_a_device_killed_after_the_server_committed_gets_duplicates_not_doubles(
    server, proxy: FaultProxy, devices
):
    email = sign_up(server.url)
    phone = await devices(email, "phone")
    await phone.close()
    proxy.inject(Fault.DROP_RESPONSE, "PushChanges")

    run_device_that_dies(phone.path, "after-push", proxy.url)

    [lost] = proxy.sent("PushChanges")
    assert lost.fault is Fault.DROP_RESPONSE and lost.statuses == [200]  # committed, unheard
    reopened = await devices(email, "phone")
    assert reopened.store.pending() == WRITES
    report = await reopened.sync()
    assert (report.duplicate, report.applied) == (WRITES, 0)
    witness = await devices(email, "witness", like=reopened)
    await witness.sync()
    assert_no_write_lost_or_doubled(proxy, [reopened], witness)
    await assert_todos_written_once(server, reopened.store.user_id())
    await assert_feed_gap_free(server, reopened.store.user_id())


# -- clocks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("later", ["ahead", "behind"])
async def test_device_clocks_a_day_off_never_order_edits_the_later_arrival_wins(
    server, proxy: FaultProxy, devices, later
):
    email = sign_up(server.url)
    now = datetime.now(UTC)
    ahead = await devices(email, "ahead")
    behind = await devices(email, "behind", like=ahead)
    ahead.store.clock = FixedClock(now + timedelta(days=1))
    behind.store.clock = FixedClock(now - timedelta(days=1))
    todo = ahead.store.create_todo("book the venue")
    key = {"userId": todo["userId"], "todoId": todo["todoId"]}
    await ahead.sync()
    await behind.sync()

    ahead.store.patch(Entity.TODO, key, {"text": "book the venue (ahead)"})
    behind.store.patch(Entity.TODO, key, {"text": "book the venue (behind)"})
    order = (behind, ahead) if later == "ahead" else (ahead, behind)
    reports = {d.path.stem: await d.sync() for d in order}
    await order[0].sync()

    assert ahead.store.get(Entity.TODO, key)["text"] == f"book the venue ({later})"
    client_times = {
        e.json()["variables"]["input"]["clientId"]: e.json()["variables"]["input"]["changes"][0][
            "clientTime"
        ]
        for e in proxy.sent("PushChanges")[-2:]
    }
    assert len(set(client_times.values())) == 2  # each said its own time; neither mattered
    assert reports["ahead"].clock_skew_seconds > 86_000
    assert reports["behind"].clock_skew_seconds < -86_000
    assert ahead.store.status().clock_warning.endswith("ahead of the server's.")
    assert behind.store.status().clock_warning.endswith("behind the server's.")
    assert_no_write_lost_or_doubled(proxy, [ahead, behind])
    await assert_feed_gap_free(server, ahead.store.user_id())


# -- a cursor older than the tombstone floor ------------------------------------------------

TTL_SECONDS = 2


@pytest.fixture(scope="module")
def short_ttl_server(
    engine_name: str, tmp_path_factory: pytest.TempPathFactory, server_process: Any, request: Any
) -> Iterator[Any]:
    """A server that keeps tombstones and feed entries 2 s; on SQLite it purges every 1 s."""
    dynamodb = request.getfixturevalue("servers_dynamodb") if engine_name == "dynamodb" else None
    env = {
        "GROWLINK_SYNC_TTL_DAYS": str(TTL_SECONDS / 86400),
        "GROWLINK_PURGE_INTERVAL_SECONDS": "1",
    }
    process = server_process(tmp_path_factory.mktemp("ttl") / "ttl.db", dynamodb=dynamodb, env=env)
    yield process
    process.stop()


@pytest.fixture
async def ttl_devices(
    short_ttl_server: Any, tmp_path: Path
) -> AsyncIterator[tuple[FaultProxy, Any]]:
    """A proxy in front of the short-TTL server, and ``await make(email, name, like=…)``
    (as the ``devices`` fixture)."""
    proxy = FaultProxy(short_ttl_server.url)
    made: list[Device] = []

    async def make(email: str, name: str, *, like: Device | None = None, **options: Any) -> Device:
        device = Device(tmp_path / f"{name}.db", proxy.url, poke=False, **options)
        made.append(device)
        return device.sign_in_like(like) if like else await device.sign_in(email)

    yield proxy, make
    for device in made:
        await device.close()
    proxy.close()


async def expired_items(engine: Engine) -> list[tuple[str, dict[str, Any]]]:
    """Every stored item whose ``_ttl`` has passed, with its table."""
    now = time.time()
    found = []
    for spec in engine.tables:
        if spec.ttl_attribute is None:
            continue
        cursor = None
        while True:
            page = await engine.scan(spec.name, limit=1000, cursor=cursor)
            found += [(spec.name, i) for i in page.items if 0 < i.get("_ttl", 0) <= now]
            cursor = page.cursor
            if cursor is None:
                break
    return found


async def let_the_ttl_pass(server: Any) -> None:
    """Wait out the TTL, then let expiry run: the SQLite server's own purge, or on DynamoDB
    the sweep AWS's TTL process would make (the emulators have none): delete every expired item."""
    await asyncio.sleep(TTL_SECONDS + 1.2)  # _ttl is whole seconds
    async with server_storage(server) as engine:
        if server.dynamodb_url is not None:
            await expire(engine, int(time.time()))
            return
        for _ in range(100):
            expired = await expired_items(engine)
            if not expired:
                return
            await asyncio.sleep(0.2)
    raise AssertionError(f"expired items still stored: {expired[:3]}")


async def test_a_cursor_older_than_the_tombstone_floor_resets_and_keeps_the_pending_change(
    short_ttl_server, ttl_devices
):
    proxy, make = ttl_devices
    email = sign_up(short_ttl_server.url)
    a = await make(email, "a")
    b = await make(email, "b", like=a)
    todos = [a.store.create_todo(f"todo {n}") for n in range(4)]
    keys = [{"userId": t["userId"], "todoId": t["todoId"]} for t in todos]
    a.store.write_reflection(today(), "GOOD", text="before the long trip")
    await a.sync()
    await b.sync()

    a.store.patch(Entity.TODO, keys[3], {"text": "written offline on a"})  # a goes offline
    b.store.delete(Entity.TODO, keys[0])
    b.store.delete(Entity.TODO, keys[1])
    b.store.delete(Entity.REFLECTION, {"userId": a.store.user_id(), "date": today()})
    b.store.patch(Entity.TODO, keys[2], {"text": "edited on b"})
    await b.sync()
    await let_the_ttl_pass(short_ttl_server)

    report = await a.sync()
    assert report.reset and report.applied == 1
    assert not (await b.sync()).reset  # b's cursor is after everything that expired
    witness = await make(email, "witness", like=a)
    await witness.sync()
    texts = sorted(t["text"] for t in a.store.query(Entity.TODO))
    assert texts == ["edited on b", "written offline on a"]
    assert a.store.query(Entity.REFLECTION) == []
    assert_no_write_lost_or_doubled(proxy, [a, b], witness)
    await assert_feed_gap_free(short_ttl_server, a.store.user_id(), expired_head=True)


async def test_writes_made_while_a_reset_is_cut_off_are_kept_and_purged_rows_still_go(
    short_ttl_server, ttl_devices
):
    """A reset interrupted (an answer lost mid-download) with local writes made before it
    resumes: a new item and an edit survive; a row the server no longer has leaves every
    device, even the one that edited it meanwhile (the edit is reported)."""
    proxy, make = ttl_devices
    email = sign_up(short_ttl_server.url)
    a = await make(email, "a", pull_limit=2)
    b = await make(email, "b", like=a)
    todos = [a.store.create_todo(f"todo {n}") for n in range(3)]
    keys = [{"userId": t["userId"], "todoId": t["todoId"]} for t in todos]
    await a.sync()
    await b.sync()
    b.store.delete(Entity.TODO, keys[0])
    b.store.patch(Entity.TODO, keys[1], {"text": "edited on b"})
    await b.sync()
    await let_the_ttl_pass(short_ttl_server)

    proxy.inject(Fault.DROP_RESPONSE, "PullChanges", after=2)  # the reset's second page
    cut_off = await a.engine.sync_now()
    assert cut_off.reset and cut_off.retry
    a.store.create_todo("written mid-reset")
    a.store.patch(Entity.TODO, keys[2], {"text": "edited mid-reset"})
    a.store.patch(Entity.TODO, keys[0], {"text": "edited, but b deleted it"})
    await a.sync_until_quiet()
    await b.sync()

    texts = sorted(t["text"] for t in a.store.query(Entity.TODO))
    assert texts == ["edited mid-reset", "edited on b", "written mid-reset"]
    assert_no_write_lost_or_doubled(proxy, [a, b])
    [issue] = a.store.issues()
    assert issue.key == keys[0] and issue.mine == {"text": "edited, but b deleted it"}
    await assert_feed_gap_free(short_ttl_server, a.store.user_id(), expired_head=True)
