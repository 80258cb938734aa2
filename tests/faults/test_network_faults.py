"""S6, the network's faults: answers lost after the server committed, requests lost, requests
delivered twice, late or replayed, and the server killed in the middle of a batch. Each runs
the real server (both engines) behind the ``FaultProxy``; afterwards every write was taken in
by the server exactly once and every device holds the same rows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from sync import state
from sync.entities import Entity
from tests.faults.invariants import (
    UNANSWERED,
    assert_feed_gap_free,
    assert_no_write_lost_or_doubled,
    feed_last_seq,
    server_items,
)
from tests.faults.proxy import Fault, FaultProxy
from tests.sync.real_server import Device, sign_up


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def write_one_of_each(device: Device) -> int:
    """A goal, a habit, its completion, a reflection and two todos: six outbox entries."""
    goal = device.store.create_goal("Run a 10k", identity="runner")
    habit = device.store.create_habit(goal["goalId"], "Shoes on", duration=1)
    device.store.complete_habit(habit["habitId"], today(), notes="before work")
    device.store.write_reflection(today(), "GOOD", text="steady")
    device.store.create_todo("buy shoes")
    device.store.create_todo("plan the route")
    return device.store.pending()


def statuses(answer: dict[str, Any]) -> list[str]:
    return [r["status"] for r in answer["data"]["pushChanges"]["results"]]


async def assert_server_versions_are_one(server: Any, user_id: str) -> None:
    """Each item was written once: a second application would have made it version 2.
    (Habits are left out: a completion rewrites its habit's streak snapshot.)"""
    for table, items in (await server_items(server, user_id)).items():
        if table == "Habits":
            continue
        versions = {key: item["_version"] for key, item in items.items()}
        assert set(versions.values()) <= {1}, f"{table}: {versions}"


async def test_a_push_answer_lost_after_the_commit_is_retried_as_duplicates(
    server, proxy: FaultProxy, devices
):
    email = sign_up(server.url)
    writer = await devices(email, "writer")
    written = write_one_of_each(writer)
    proxy.inject(Fault.DROP_RESPONSE, "PushChanges")

    lost = await writer.engine.sync_now()
    assert lost.retry and writer.store.pending() == written
    [committed] = proxy.sent("PushChanges")[0].answer_json()
    assert set(statuses(committed)) == {"APPLIED"}  # the server did commit them

    again = await writer.sync()
    assert (again.duplicate, again.applied, writer.store.pending()) == (written, 0, 0)
    witness = await devices(email, "witness", like=writer)
    await witness.sync()
    assert_no_write_lost_or_doubled(proxy, [writer], witness)
    await assert_server_versions_are_one(server, writer.store.user_id())
    await assert_feed_gap_free(server, writer.store.user_id())


async def test_a_pull_answer_lost_mid_pages_resumes_and_a_re_pull_changes_nothing(
    server, proxy: FaultProxy, devices
):
    email = sign_up(server.url)
    writer = await devices(email, "writer")
    reader = await devices(email, "reader", like=writer, pull_limit=3)
    write_one_of_each(writer)
    await writer.sync()
    await reader.sync()
    first_cursor = reader.store.sync_state().cursor
    for n in range(5):
        writer.store.create_todo(f"todo {n}")
    writer.store.toggle_todo(writer.store.query(Entity.TODO)[0]["todoId"])
    await writer.sync()

    proxy.inject(Fault.DROP_RESPONSE, "PullChanges", after=1)  # page 2 of the next pull
    lost = await reader.engine.sync_now()
    assert lost.retry and lost.pages == 1
    page_one, page_two = proxy.sent("PullChanges")[-2:]
    kept_cursor = page_one.answer_json()[0]["data"]["pullChanges"]["cursor"]
    assert reader.store.sync_state().cursor == kept_cursor  # page 1 and its cursor stayed
    await reader.sync()
    pulls = proxy.sent("PullChanges")
    retried = pulls[pulls.index(page_two) + 1]
    assert retried.json()["variables"]["cursor"] == page_two.json()["variables"]["cursor"]
    assert retried.answers[0] == page_two.answers[0]  # the same page, asked for again
    assert reader.rows() == writer.rows()

    with reader.store.transaction() as conn:  # as if the device crashed before the cursor
        state.update(conn, cursor=first_cursor)
    rows_before = reader.rows()
    again = await reader.sync()
    assert again.pulled > 0 and reader.rows() == rows_before
    assert_no_write_lost_or_doubled(proxy, [writer, reader])
    await assert_feed_gap_free(server, writer.store.user_id())


@pytest.mark.parametrize("operation", ["PushChanges", "PullChanges"])
async def test_a_request_lost_on_the_way_is_sent_again_and_applies_once(
    server, proxy: FaultProxy, devices, operation
):
    email = sign_up(server.url)
    a = await devices(email, "a")
    b = await devices(email, "b", like=a)
    written = write_one_of_each(a)
    proxy.inject(Fault.DROP_REQUEST, operation)

    failed = await a.engine.sync_now()
    assert failed.retry
    [dropped] = [e for e in proxy.exchanges if e.fault is Fault.DROP_REQUEST]
    assert dropped.statuses == []  # the server never saw it
    report = await a.sync()
    if operation == "PushChanges":
        assert (report.applied, report.duplicate) == (written, 0)
    await b.sync()
    assert_no_write_lost_or_doubled(proxy, [a, b])
    await assert_server_versions_are_one(server, a.store.user_id())
    await assert_feed_gap_free(server, a.store.user_id())


async def test_a_push_delivered_twice_applies_once(server, proxy: FaultProxy, devices):
    email = sign_up(server.url)
    a = await devices(email, "a")
    b = await devices(email, "b", like=a)
    written = write_one_of_each(a)
    proxy.inject(Fault.DUPLICATE, "PushChanges")

    report = await a.sync()  # the device gets the second answer
    first, second = proxy.sent("PushChanges")[0].answer_json()
    assert set(statuses(first)) == {"APPLIED"} and set(statuses(second)) == {"DUPLICATE"}
    assert (report.duplicate, a.store.pending()) == (written, 0)
    await b.sync()
    assert_no_write_lost_or_doubled(proxy, [a, b])
    await assert_server_versions_are_one(server, a.store.user_id())
    await assert_feed_gap_free(server, a.store.user_id())


async def test_a_late_push_arriving_after_newer_edits_of_both_devices_changes_nothing(
    server, proxy: FaultProxy, devices
):
    email = sign_up(server.url)
    a = await devices(email, "a")
    b = await devices(email, "b", like=a)
    todo = a.store.create_todo("draft")
    key = {"userId": todo["userId"], "todoId": todo["todoId"]}
    await a.sync()
    await b.sync()

    a.store.patch(Entity.TODO, key, {"text": "a's edit"})
    proxy.inject(Fault.HOLD, "PushChanges")
    assert (await a.engine.sync_now()).retry  # held on the way
    await a.sync()  # the retry, same mutation id, applies
    a.store.patch(Entity.TODO, key, {"priority": "high"})
    await a.sync()
    b.store.patch(Entity.TODO, key, {"text": "b's later edit"})
    await b.sync()

    user_id = a.store.user_id()
    before, seq_before = await server_items(server, user_id), await feed_last_seq(server, user_id)
    assert proxy.release_held() == [200]
    [held] = [e for e in proxy.exchanges if e.fault is Fault.HOLD]
    [late] = held.answer_json()
    assert statuses(late) == ["DUPLICATE"]
    assert await server_items(server, user_id) == before
    assert await feed_last_seq(server, user_id) == seq_before

    await a.sync()
    await b.sync()
    assert a.store.get(Entity.TODO, key)["text"] == "b's later edit"
    assert a.store.get(Entity.TODO, key)["priority"] == "high"
    assert_no_write_lost_or_doubled(proxy, [a, b])
    await assert_feed_gap_free(server, user_id)


async def test_an_old_push_replayed_after_newer_ones_changes_nothing(
    server, proxy: FaultProxy, devices
):
    email = sign_up(server.url)
    a = await devices(email, "a")
    b = await devices(email, "b", like=a)
    write_one_of_each(a)
    await a.sync()
    [old_push] = proxy.sent("PushChanges")
    todo = a.store.query(Entity.TODO)[0]
    key = {"userId": todo["userId"], "todoId": todo["todoId"]}
    a.store.patch(Entity.TODO, key, {"text": "renamed"})
    a.store.write_reflection(today(), "GREAT")
    await a.sync()
    a.store.delete(Entity.TODO, key)
    await a.sync()

    user_id = a.store.user_id()
    before, seq_before = await server_items(server, user_id), await feed_last_seq(server, user_id)
    assert proxy.replay(old_push) == 200
    assert set(statuses(proxy.exchanges[-1].answer_json()[0])) == {"DUPLICATE"}
    assert await server_items(server, user_id) == before
    assert await feed_last_seq(server, user_id) == seq_before

    await b.sync()
    assert b.store.get(Entity.TODO, key) is None
    assert_no_write_lost_or_doubled(proxy, [a, b])
    await assert_feed_gap_free(server, user_id)


def restart_once_some_are_committed(
    server: Any, feed_id: str, start: int, at_least: int
) -> Callable[[], None]:
    """A ``restart_server`` for the proxy (it runs in a worker thread) that waits until the
    server has committed ``at_least`` entries to ``feed_id`` past ``start`` before it kills
    it: truly mid-batch."""

    def restart() -> None:
        for _ in range(6000):
            if asyncio.run(feed_last_seq(server, feed_id)) >= start + at_least:
                break
            time.sleep(0.01)
        server.restart()

    return restart


# moto applies about 20 changes a second; a full 500-change batch would cost a minute there.
BATCH = {"sqlite": 500, "dynamodb": 100}


async def test_a_server_killed_mid_batch_ends_with_each_change_once(
    server, proxy: FaultProxy, devices, engine_name
):
    email = sign_up(server.url)
    writer = await devices(email, "writer")
    user_id = writer.store.user_id()
    count = BATCH[engine_name]
    for n in range(count):
        writer.store.create_todo(f"todo {n:03}")
    start = await feed_last_seq(server, user_id)
    proxy.restart_server = restart_once_some_are_committed(server, user_id, start, at_least=20)
    proxy.inject(Fault.RESTART_SERVER, "PushChanges")

    reports = await writer.sync_until_quiet()
    assert reports[0].retry  # the first push died with the server
    killed, retried = proxy.sent("PushChanges")[:2]
    assert killed.fault is Fault.RESTART_SERVER and killed.statuses == [0]
    [answer] = retried.answer_json()
    resent = statuses(answer)
    assert 20 <= resent.count("DUPLICATE") < count  # some had committed before the kill
    assert resent.count("DUPLICATE") + resent.count("APPLIED") == count
    witness = await devices(email, "witness", like=writer)
    await witness.sync()
    todos = (await server_items(server, user_id))["Todos"]
    assert len(todos) == count and len(witness.store.query(Entity.TODO)) == count
    assert {item["_version"] for item in todos.values()} == {1}
    final = assert_no_write_lost_or_doubled(proxy, [writer], witness)
    assert len(final) == count
    died_with_the_server = [a for a in final.values() if a.status == UNANSWERED]
    assert len(died_with_the_server) == resent.count("DUPLICATE")
    await assert_feed_gap_free(server, user_id)
