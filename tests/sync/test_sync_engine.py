"""The sync engine against an in-memory double of the server (unit tests; the integration
tests in test_sync_server.py use the real server over HTTP)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from sync.entities import Entity, Op
from sync.wire import SyncErrorInfo
from tests.sync.fake_remote import public
from tests.sync.signed_in import USER

TODO = Entity.TODO


def todo_key(todo_id: str) -> dict[str, str]:
    return {"userId": USER, "todoId": todo_id}


def outbox_ids(engine) -> list[int]:
    with engine.store.transaction(publish=False) as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT mutation_id FROM outbox ORDER BY 1")]


def sent_ids(server) -> list[list[int]]:
    return [[c.mutation_id for c in request] for request in server.requests]


async def test_push_then_pull_leaves_the_device_identical_to_the_server(device, server):
    engine = device()
    todo = engine.store.create_todo("buy milk", todo_id="t1")
    assert engine.store.status().label == "Offline · 1 pending"
    report = await engine.sync_now()
    assert (report.pushed, report.applied, report.error) == (1, 1, None)
    assert outbox_ids(engine) == []
    synced = engine.store.get(TODO, todo_key("t1"))
    assert synced == {**public(server.item(TODO, todo_key("t1"))), "_pending": False}
    assert synced["_version"] == 1 and synced["text"] == todo["text"]
    assert engine.store.status().label == "Synced"


async def test_a_lost_answer_is_retried_with_the_same_ids_and_applied_once(device, server):
    engine = device()
    for n in range(3):
        engine.store.create_todo(f"todo {n}", todo_id=f"t{n}")
    server.drop_answers = 1  # the server commits, the answer never arrives
    first = await engine.sync_now()
    assert first.retry and first.pushed == 0
    assert outbox_ids(engine) == [1, 2, 3]  # nothing is dropped without an answer
    assert engine.store.status().label == "Offline · 3 pending"
    second = await engine.sync_now()
    assert sent_ids(server) == [[1, 2, 3], [1, 2, 3]]
    assert (second.duplicate, second.error) == (3, None)
    assert outbox_ids(engine) == []
    assert all(server.item(TODO, todo_key(f"t{n}"))["_version"] == 1 for n in range(3))
    assert engine.store.get(TODO, todo_key("t0"))["_version"] == 1


async def test_a_lost_request_is_sent_again_with_the_same_ids(device, server):
    engine = device()
    engine.store.create_todo("a", todo_id="t1")
    server.drop_requests = 1
    assert (await engine.sync_now()).retry
    report = await engine.sync_now()
    assert sent_ids(server) == [[1], [1]]
    assert report.applied == 1


async def test_a_rejected_change_rolls_back_and_becomes_a_visible_issue(device, server):
    engine = device()
    server.write(TODO, todo_key("t1"), {"text": "server text", "done": False})
    await engine.sync_now()
    server.rule = lambda change, current: (
        SyncErrorInfo("BAD_USER_INPUT", "text is too long", "text")
        if change.fields and len(change.fields.get("text", "")) > 10
        else None
    )
    engine.store.patch(TODO, todo_key("t1"), {"text": "x" * 11})
    engine.store.create_todo("fine", todo_id="t2")
    assert engine.store.get(TODO, todo_key("t1"))["text"] == "x" * 11
    report = await engine.sync_now()
    assert (report.rejected, report.applied) == (1, 1)
    assert engine.store.get(TODO, todo_key("t1")) == {
        **public(server.item(TODO, todo_key("t1"))),
        "_pending": False,
    }
    [issue] = engine.store.issues()
    assert (issue.code, issue.field, issue.entity, issue.key) == (
        "BAD_USER_INPUT",
        "text",
        TODO,
        todo_key("t1"),
    )
    assert issue.mine == {"text": "x" * 11} and issue.theirs["text"] == "server text"
    assert engine.store.status().label == "Needs attention (1)"
    # the issue also came down the feed (for the other devices): still one issue here
    assert len(engine.store.issues(status=None)) == 1


async def test_a_rejected_new_item_disappears_from_the_device(device, server):
    engine = device()
    server.rule = lambda change, current: SyncErrorInfo("CONFLICT", "slot taken", "date")
    engine.store.request_session(
        "mentor-1", type="virtual", date="2026-12-01", time="10:00", duration=30
    )
    assert len(engine.store.query(Entity.SESSION)) == 1
    report = await engine.sync_now()
    assert report.rejected == 1
    assert engine.store.query(Entity.SESSION) == []
    assert engine.store.issues()[0].message == "slot taken"


async def test_resolving_an_issue_is_sent_by_the_next_sync(device, server):
    engine = device()
    server.rule = lambda change, current: SyncErrorInfo("FORBIDDEN", "not yours")
    engine.store.create_todo("x", todo_id="t1")
    await engine.sync_now()
    [issue] = engine.store.issues()
    resolved = engine.store.resolve_issue(issue.issue_id, "DISMISS")
    assert (resolved.status, engine.store.status().label) == ("DISMISSED", "Synced")
    report = await engine.sync_now()
    assert report.resolutions_sent == 1
    assert server.resolutions == [(issue.issue_id, "DISMISS")]
    with pytest.raises(ValueError):
        engine.store.resolve_issue(issue.issue_id, "KEEP_BOTH")


async def test_keep_mine_is_carried_out_by_the_server_and_comes_back_by_pull(device, server):
    engine = device()
    server.write(TODO, todo_key("t1"), {"text": "theirs"})
    await engine.sync_now()
    server.rule = lambda change, current: (
        SyncErrorInfo("CONFLICT", "changed meanwhile", "text") if change.mutation_id else None
    )
    engine.store.patch(TODO, todo_key("t1"), {"text": "mine"})
    await engine.sync_now()
    assert engine.store.get(TODO, todo_key("t1"))["text"] == "theirs"
    [issue] = engine.store.issues()
    resolved = engine.store.resolve_issue(issue.issue_id, "KEEP_MINE")
    assert (resolved.status, resolved.resolution) == ("RESOLVED", "KEEP_MINE")
    assert engine.store.pending() == 0  # nothing re-queued: the server applies it, once
    await engine.sync_now()
    assert server.resolutions == [(issue.issue_id, "KEEP_MINE")]
    assert server.item(TODO, todo_key("t1"))["text"] == "mine"
    assert engine.store.get(TODO, todo_key("t1"))["text"] == "mine"
    assert engine.store.issues() == [] and engine.store.issue(issue.issue_id).status == "RESOLVED"


async def test_a_refused_resolution_reopens_the_issue_with_the_reason(device, server):
    engine = device()
    server.rule = lambda change, current: SyncErrorInfo("BAD_USER_INPUT", "too long", "duration")
    engine.store.put(TODO, todo_key("t1"), {"text": "x"})
    await engine.sync_now()
    [issue] = engine.store.issues()
    engine.store.resolve_issue(issue.issue_id, "KEEP_MINE")
    assert engine.store.issues() == []
    report = await engine.sync_now()
    assert report.error is None and report.resolutions_sent == 0
    [reopened] = engine.store.issues()
    assert reopened.issue_id == issue.issue_id and "too long" in reopened.message


async def test_pulled_changes_keep_pending_local_edits_on_top(device, server):
    engine = device()
    server.write(TODO, todo_key("t1"), {"text": "first", "done": False})
    await engine.sync_now()
    engine.store.patch(TODO, todo_key("t1"), {"done": True})
    server.drop_requests = 1  # our push is lost; the pull still brings the other device's edit
    server.write(TODO, todo_key("t1"), {"text": "edited elsewhere"})
    await engine.sync_now()
    report = await engine.sync_now()  # nothing pulled before: the lost push stopped the sync
    row = engine.store.get(TODO, todo_key("t1"))
    assert (row["text"], row["done"]) == ("edited elsewhere", True)
    assert report.merged == 1  # made on v1, the server had v2: concurrent, merged by field


async def test_a_page_older_than_the_base_changes_nothing(device, server):
    engine = device()
    server.write(TODO, todo_key("t1"), {"text": "v1"})
    server.write(TODO, todo_key("t1"), {"text": "v2"})
    await engine.sync_now()
    with engine.store.transaction(publish=False) as conn:  # replay the whole feed
        conn.exec_driver_sql("UPDATE sync_state SET cursor = '0'")
    await engine.sync_now()
    assert engine.store.get(TODO, todo_key("t1"))["text"] == "v2"


async def test_pull_pages_until_has_more_is_false_storing_the_cursor_each_page(device, server):
    engine = device(pull_limit=5)
    for n in range(12):
        server.write(TODO, todo_key(f"t{n:02}"), {"text": str(n)})
    server.fail_pull_page = 2
    failed = await engine.sync_now()
    assert failed.retry and engine.store.sync_state().cursor == "5"
    assert len(engine.store.query(TODO)) == 5
    report = await engine.sync_now()
    assert server.pulls == [None, "5", "5", "10"]
    assert (report.pulled, report.pages) == (7, 2)
    assert engine.store.sync_state().cursor == "12"
    assert len(engine.store.query(TODO)) == 12


async def test_reset_required_redownloads_and_drops_only_unpending_rows_the_server_lost(
    device, server
):
    engine = device()
    for name in ("kept", "gone", "gone-but-edited"):
        server.write(TODO, todo_key(name), {"text": name})
    await engine.sync_now()
    engine.store.patch(TODO, todo_key("gone-but-edited"), {"text": "my edit"})
    engine.store.create_todo("new offline", todo_id="new")
    server.forget(TODO, todo_key("gone"))
    server.forget(TODO, todo_key("gone-but-edited"))
    server.feed = [c for c in server.feed if c.key["todoId"] == "kept"]
    server.reset_next_pull = True
    server.drop_requests = 1  # the outbox stays put during the reset
    await engine.sync_now()
    report = await engine.sync_now()
    assert report.reset
    assert server.pulls[-2:] == [server.pulls[-2], None] and server.pulls[-2] is not None
    texts = {t["todoId"]: (t["text"], t["_pending"]) for t in engine.store.query(TODO)}
    assert texts["kept"] == ("kept", False)
    assert "gone" not in texts
    assert texts["gone-but-edited"][0] == "my edit"
    assert texts["new"][0] == "new offline"
    assert engine.store.sync_state().resetting is False


async def test_batches_hold_at_most_500_changes_in_mutation_id_order(device, server):
    engine = device()
    for n in range(1200):
        engine.store.create_todo(f"todo {n}", todo_id=f"t{n:04}")
    report = await engine.sync_now()
    assert [len(r) for r in server.requests] == [500, 500, 200]
    flat = [i for ids in sent_ids(server) for i in ids]
    assert flat == list(range(1, 1201))
    assert report.pushed == 1200 and outbox_ids(engine) == []


async def test_a_devices_own_queued_changes_to_one_key_build_on_each_other(device, server):
    engine = device()
    goal = engine.store.create_goal("g")
    habit = engine.store.create_habit(goal["goalId"], "h")
    engine.store.complete_habit(habit["habitId"], "2026-11-24")
    engine.store.create_todo("between", todo_id="t1")
    engine.store.uncomplete_habit(habit["habitId"], "2026-11-24")
    report = await engine.sync_now()
    assert sent_ids(server) == [[1, 2, 3, 4, 5]]
    assert report.applied == 5  # the un-tick is not "concurrent" with our own tick
    key = {"habitId": habit["habitId"], "date": "2026-11-24"}
    assert server.item(Entity.HABIT_COMPLETION, key)["completed"] is False
    assert engine.store.get(Entity.HABIT_COMPLETION, key)["completed"] is False


async def test_a_change_sent_after_its_keys_earlier_change_rests_on_our_new_version(device, server):
    engine = device(push_batch=2)
    engine.store.create_todo("a", todo_id="t1")
    engine.store.create_todo("b", todo_id="t2")
    engine.store.toggle_todo("t1")
    await engine.sync_now()
    assert sent_ids(server) == [[1, 2], [3]]
    toggle = server.requests[1][0]
    assert (toggle.op, toggle.base_version) == (Op.PATCH, 1)  # made on "no copy", now on v1
    assert server.item(TODO, todo_key("t1"))["done"] is True


async def test_a_mutation_gap_renumbers_under_a_new_client_id_once(device, server):
    engine = device()
    engine.store.create_todo("a", todo_id="t1")
    await engine.sync_now()
    engine.store.create_todo("b", todo_id="t2")
    engine.store.create_todo("c", todo_id="t3")
    old_client = engine.store.sync_state().client_id
    server.last_mutation.clear()  # the server was restored from a backup
    server.last_mutation[old_client] = 0
    report = await engine.sync_now()
    assert sent_ids(server)[-2:] == [[2, 3], [1, 2]]
    assert engine.store.sync_state().client_id != old_client
    assert (report.applied, report.error) == (2, None)
    assert outbox_ids(engine) == []


async def test_a_partial_answer_keeps_the_rest_for_the_retry(device, server):
    engine = device()
    for n in range(4):
        engine.store.create_todo(str(n), todo_id=f"t{n}")
    server.stop_after = 2
    first = await engine.sync_now()
    assert first.retry and first.pushed == 2 and outbox_ids(engine) == [3, 4]
    await engine.sync_now()
    assert sent_ids(server) == [[1, 2, 3, 4], [3, 4]]


async def test_an_expired_token_is_refreshed_once_and_a_dead_refresh_asks_to_sign_in(
    device, server
):
    engine = device()
    engine.store.create_todo("a", todo_id="t1")
    server.tokens = set()  # token-1 expired
    report = await engine.sync_now()
    assert report.error is None and engine.store.sync_state().access_token == "token-2"
    server.tokens = set()
    server.refresh_tokens = set()
    engine.store.create_todo("b", todo_id="t2")
    blocked = await engine.sync_now()
    assert "Sign in again" in (blocked.error or "") and not blocked.retry
    assert engine.store.status().label == "Needs attention (1)"
    assert outbox_ids(engine) == [2]
    server.tokens = {"token-1"}
    await engine.sign_in("user@example.com", "secret")
    assert (await engine.sync_now()).error is None
    assert engine.store.status().label == "Synced"


async def test_one_sync_at_a_time(device, server):
    engine = device()
    for n in range(5):
        engine.store.create_todo(str(n), todo_id=f"t{n}")
    reports = await asyncio.gather(*(engine.sync_now() for _ in range(4)))
    assert server.max_in_flight == 1
    assert sum(r.pushed for r in reports) == 5
    assert sent_ids(server) == [[1, 2, 3, 4, 5]]


async def test_the_status_says_syncing_while_a_sync_runs(device, server):
    engine = device()
    engine.store.create_todo("a")
    heard = []
    engine.store.subscribe(lambda s: heard.append(s.label))
    await engine.sync_now()
    assert "Syncing" in heard and heard[-1] == "Synced"


async def test_a_device_clock_far_off_the_servers_is_reported(device, server, clock):
    engine = device()
    server.server_time = clock.now() - timedelta(minutes=10)
    report = await engine.sync_now()
    assert report.clock_skew_seconds == 600.0
    assert engine.store.status().clock_warning == (
        "This device's clock is 10 minutes ahead of the server's."
    )
    server.server_time = clock.now() - timedelta(minutes=2)
    await engine.sync_now()
    assert engine.store.status().clock_warning is None


async def test_not_signed_in_syncs_nothing(open_store, server):
    from sync.engine import SyncEngine
    from tests.sync.fake_remote import FakeRemote

    engine = SyncEngine(open_store("anon", sign_in=False), FakeRemote(server))
    report = await engine.sync_now()
    assert report.error == "not signed in" and server.requests == server.pulls == []


async def test_two_devices_offline_converge_in_either_order(device, server):
    a, b = device("a"), device("b")
    server.write(TODO, todo_key("shared"), {"text": "start", "done": False})
    await a.sync_now()
    await b.sync_now()
    a.store.patch(TODO, todo_key("shared"), {"text": "from a"})
    b.store.patch(TODO, todo_key("shared"), {"done": True})
    a.store.create_todo("only a", todo_id="ta")
    b.store.create_todo("only b", todo_id="tb")
    await b.sync_now()
    await a.sync_now()
    await b.sync_now()
    rows_a, rows_b = a.store.query(TODO), b.store.query(TODO)
    assert rows_a == rows_b
    shared = a.store.get(TODO, todo_key("shared"))
    assert (shared["text"], shared["done"]) == ("from a", True)


async def test_the_next_page_is_asked_for_before_this_one_is_stored(device, server):
    """Server and device work at once (bench/sync.py, S2); pages are still stored in order,
    each with its cursor."""
    engine = device(pull_limit=5)
    for n in range(12):
        server.write(TODO, todo_key(f"t{n:02}"), {"text": str(n)})
    stored_when_asked: list[str | None] = []
    pull = server.pull

    def noting(cursor, limit):
        stored_when_asked.append(engine.store.sync_state().cursor)
        return pull(cursor, limit)

    server.pull = noting
    report = await engine.sync_now()
    assert server.pulls == [None, "5", "10"]
    assert stored_when_asked == [None, None, "5"]
    assert (report.pulled, report.pages) == (12, 3)
    assert engine.store.sync_state().cursor == "12" and len(engine.store.query(TODO)) == 12
