"""The device store on real SQLite files: durable writes, outbox ids, bases, reads, writers."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from domain.errors import RuleViolation
from sync import apply
from sync.entities import Entity
from sync.errors import NotSignedIn, SyncError
from sync.store import DeviceStore
from sync.wire import AuthSession, PulledChange, PullPage
from tests.sync.signed_in import USER


def outbox_rows(store: DeviceStore) -> list[tuple]:
    with store.transaction(publish=False) as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql(
                "SELECT mutation_id, entity, key_json, op, base_version, fields FROM outbox"
                " ORDER BY mutation_id"
            )
        ]


def bases(store: DeviceStore) -> dict[str, tuple]:
    with store.transaction(publish=False) as conn:
        return {
            r.key_json: (r.data, r.version)
            for r in conn.exec_driver_sql("SELECT key_json, data, version FROM base_items")
        }


def pull_into(store: DeviceStore, *changes: PulledChange, cursor: str = "1") -> None:
    with store.transaction() as conn:
        apply.apply_pull_page(conn, PullPage(list(changes), cursor, has_more=False), store.now())


def server_todo(todo_id: str, version: int = 1, **fields: object) -> PulledChange:
    key = {"userId": USER, "todoId": todo_id}
    item = {**key, "text": "from server", "done": False, "_version": version, **fields}
    return PulledChange(version, Entity.TODO, key, version, False, item)


# -- durability ----------------------------------------------------------------------------

CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    from sync.store import DeviceStore
    from tests.sync.signed_in import signed_in
    store = signed_in(DeviceStore(sys.argv[1]))
    todo = store.create_todo("written just before the crash", todo_id="t-crash")
    print(todo["todoId"], flush=True)
    os.kill(os.getpid(), 9)  # no close, no checkpoint, no atexit: the process just dies
    """
)


def test_a_local_write_survives_the_process_being_killed_right_after(tmp_path):
    path = tmp_path / "device.db"
    proc = subprocess.run(
        [sys.executable, "-c", CRASHING_WRITER, str(path)], capture_output=True, text=True
    )
    assert proc.returncode == -9, proc.stderr
    assert proc.stdout.strip() == "t-crash"
    with DeviceStore(path) as reopened:
        todo = reopened.get("TODO", {"userId": USER, "todoId": "t-crash"})
        assert todo is not None and todo["text"] == "written just before the crash"
        assert todo["_pending"] is True
        assert [r[:4] for r in outbox_rows(reopened)] == [
            (1, "TODO", f'{{"todoId":"t-crash","userId":"{USER}"}}', "PUT")
        ]


def test_outbox_ids_strictly_increase_and_are_never_reused_across_restarts(open_store):
    store = open_store()
    for text in ("a", "b", "c"):
        store.create_todo(text)
    store.close()
    store = open_store()
    with store.transaction() as conn:  # the server acknowledged 1-3: the entries are gone
        conn.exec_driver_sql("DELETE FROM outbox")
    store.create_todo("d")
    store.close()
    store = open_store()
    store.create_todo("e")
    assert [r[0] for r in outbox_rows(store)] == [4, 5]
    assert store.sync_state().last_mutation_id == 5


def test_each_write_is_all_or_nothing(store, monkeypatch):
    from sync import outbox

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox, "append", broken)
    with pytest.raises(RuntimeError):
        store.create_todo("never half-written", todo_id="t1")
    assert store.get("TODO", {"userId": USER, "todoId": "t1"}) is None
    assert bases(store) == {}


# -- base copies and the outbox ------------------------------------------------------------


def test_the_first_edit_keeps_the_server_copy_as_base_later_edits_do_not_touch_it(store):
    pull_into(store, server_todo("t1", version=4))
    key = {"userId": USER, "todoId": "t1"}
    key_json = f'{{"todoId":"t1","userId":"{USER}"}}'
    assert bases(store) == {}
    store.patch("TODO", key, {"text": "mine"})
    store.toggle_todo("t1")
    base_data, base_version = bases(store)[key_json]
    assert base_version == 4 and '"text":"from server"' in base_data
    visible = store.get("TODO", key)
    assert visible is not None
    assert (visible["text"], visible["done"], visible["_pending"]) == ("mine", True, True)
    assert [(r[3], r[4]) for r in outbox_rows(store)] == [("PATCH", 4)]  # merged, made on v4


def test_a_patch_is_merged_only_into_a_never_sent_patch_of_the_same_key(store):
    pull_into(store, server_todo("t1"), server_todo("t2"))
    one, two = {"userId": USER, "todoId": "t1"}, {"userId": USER, "todoId": "t2"}
    store.patch("TODO", one, {"text": "a"})
    store.patch("TODO", two, {"text": "b"})
    store.patch("TODO", one, {"done": True})  # not right behind t1's entry: a new one
    with store.transaction(publish=False) as conn:
        conn.exec_driver_sql("UPDATE outbox SET attempts = 1 WHERE mutation_id = 3")
    store.patch("TODO", one, {"text": "c"})  # entry 3 was sent: never changed again
    assert [(r[0], r[5]) for r in outbox_rows(store)] == [
        (1, '{"text":"a"}'),
        (2, '{"text":"b"}'),
        (3, '{"done":true}'),
        (4, '{"text":"c"}'),
    ]


def test_a_new_item_has_an_empty_base_and_a_null_base_version(store):
    todo = store.create_todo("new", todo_id="t9")
    assert todo["done"] is False and todo["priority"] == "medium" and todo["userId"] == USER
    assert list(bases(store).values()) == [(None, None)]
    assert outbox_rows(store)[0][3:] == ("PUT", None, '{"text":"new"}')


def test_delete_hides_the_row_and_queues_a_delete(store):
    pull_into(store, server_todo("t1", version=2))
    key = {"userId": USER, "todoId": "t1"}
    store.delete("TODO", key)
    assert store.get("TODO", key) is None
    assert store.query("TODO") == []
    assert outbox_rows(store)[-1][3:5] == ("DELETE", 2)
    with pytest.raises(LookupError):
        store.patch("TODO", key, {"text": "edit of a deleted todo"})
    assert len(outbox_rows(store)) == 1


# -- reads ---------------------------------------------------------------------------------


def test_query_filters_on_attributes_and_marks_pending_rows(store):
    pull_into(
        store,
        server_todo("t1", done=True),
        server_todo("t2", version=2, done=False),
        server_todo("t3", version=3, done=False, dueDate="2026-11-30"),
    )
    store.create_todo("local", todo_id="t4")
    not_done = store.query("TODO", userId=USER, done=False)
    assert [(t["todoId"], t["_pending"]) for t in not_done] == [
        ("t2", False),
        ("t3", False),
        ("t4", True),
    ]
    assert [t["todoId"] for t in store.query("TODO", dueDate=None)] == ["t1", "t2", "t4"]
    assert store.query("TODO", dueDate="2026-11-30")[0]["todoId"] == "t3"
    with pytest.raises(ValueError):
        store.query("TODO", **{"a') OR 1=1 --": 1})


def test_query_key_range_reads_the_days_asked_for_both_ends_included(store):
    def done(habit_id: str, day: str, version: int) -> PulledChange:
        key = {"habitId": habit_id, "date": day}
        item = {**key, "userId": USER, "completed": True, "_version": version}
        return PulledChange(version, Entity.HABIT_COMPLETION, key, version, False, item)

    days = ["2026-11-15", "2026-11-16", "2026-11-20", "2026-11-24", "2026-11-25"]
    pull_into(store, *(done(h, d, n) for n, d in enumerate(days, 1) for h in ("a", "b")))
    found = store.query_key_range("HABIT_COMPLETION", "date", "2026-11-16", "2026-11-24")
    assert [(r["date"], r["habitId"]) for r in found] == [
        (d, h) for d in ("2026-11-16", "2026-11-20", "2026-11-24") for h in ("a", "b")
    ]
    only_b = store.query_key_range(
        "HABIT_COMPLETION", "date", "2026-11-20", "2026-11-30", habitId="b"
    )
    assert [r["date"] for r in only_b] == ["2026-11-20", "2026-11-24", "2026-11-25"]
    with pytest.raises(ValueError, match="ranges go by 'date'"):
        store.query_key_range("HABIT_COMPLETION", "habitId", "a", "b")


def test_writes_the_protocol_never_allows_are_refused_before_anything_is_stored(store):
    with pytest.raises(ValueError, match="read-only"):
        store.put("VENUE", {"venueId": "v"}, {"name": "x"})
    with pytest.raises(ValueError, match="only 'read'"):
        store.patch("NOTIFICATION", {"notificationId": "n"}, {"title": "x"})
    with pytest.raises(ValueError, match="not allowed"):
        store.delete("SESSION", {"sessionId": "s"})
    with pytest.raises(ValueError):
        store.put("TODO", {"todoId": "t"}, {"text": "no user in the key"})
    assert outbox_rows(store) == []


# -- the app's writers ---------------------------------------------------------------------


def test_weekly_completions_are_keyed_by_the_monday_of_the_iso_week(store):
    goal = store.create_goal("Become a runner")
    weekly = store.create_habit(goal["goalId"], "Long run", frequency="weekly", duration=2)
    daily = store.create_habit(goal["goalId"], "Shoes on", frequency="daily", duration=1)
    thursday = "2026-11-26"
    week = store.complete_habit(weekly["habitId"], thursday, notes="easy")
    day = store.complete_habit(daily["habitId"], thursday)
    assert (week["date"], week["completedOn"], week["completed"]) == ("2026-11-23", thursday, True)
    assert (day["date"], day["completedOn"]) == (thursday, thursday)
    again = store.complete_habit(weekly["habitId"], "2026-11-29")  # Sunday, same ISO week
    assert again["date"] == "2026-11-23"
    assert len(store.query("HABIT_COMPLETION", habitId=weekly["habitId"])) == 1
    undone = store.uncomplete_habit(weekly["habitId"], "2026-11-24")
    assert undone["completed"] is False and undone["notes"] == "easy"
    assert [(r[0], r[1], r[3], r[5]) for r in outbox_rows(store)][3:] == [
        (
            4,
            "HABIT_COMPLETION",
            "PUT",
            '{"completed":true,"completedOn":"2026-11-26","notes":"easy"}',
        ),
        (5, "HABIT_COMPLETION", "PUT", '{"completed":true,"completedOn":"2026-11-26"}'),
        # the second tick of the week and the un-tick, merged: the server gets the outcome
        (6, "HABIT_COMPLETION", "PATCH", '{"completed":false,"completedOn":"2026-11-29"}'),
    ]


def test_a_toggle_decides_from_the_store_per_period(store):
    goal = store.create_goal("Become a runner")
    weekly = store.create_habit(goal["goalId"], "Long run", frequency="weekly", duration=2)
    assert store.toggle_habit(weekly["habitId"], "2026-11-26") is True  # Thursday: ticks
    assert store.toggle_habit(weekly["habitId"], "2026-11-29") is False  # same week: un-ticks
    row = store.get("HABIT_COMPLETION", {"habitId": weekly["habitId"], "date": "2026-11-23"})
    assert row is not None and row["completed"] is False and row["completedOn"] == "2026-11-26"
    assert store.toggle_habit(weekly["habitId"], "2026-11-30") is True  # the next week: new
    assert len(store.query("HABIT_COMPLETION", habitId=weekly["habitId"])) == 2
    assert store.toggle_habit(weekly["habitId"], "2026-11-24") is True  # ticked again
    row = store.get("HABIT_COMPLETION", {"habitId": weekly["habitId"], "date": "2026-11-23"})
    assert row is not None and row["completed"] is True and row["completedOn"] == "2026-11-24"
    with pytest.raises(LookupError):
        store.toggle_habit("no-such-habit", "2026-11-24")


def test_completing_an_unknown_habit_or_uncompleting_nothing_fails(store):
    with pytest.raises(LookupError):
        store.complete_habit("no-such-habit", "2026-11-24")
    goal = store.create_goal("g")
    habit = store.create_habit(goal["goalId"], "h")
    with pytest.raises(LookupError):
        store.uncomplete_habit(habit["habitId"], "2026-11-24")


def test_a_habit_longer_than_two_minutes_is_refused_on_the_device(store):
    goal = store.create_goal("g")
    with pytest.raises(RuleViolation) as refused:
        store.create_habit(goal["goalId"], "Too long", duration=3)
    assert refused.value.field == "duration"
    assert len(outbox_rows(store)) == 1  # only the goal


def test_reflections_are_keyed_by_user_and_local_date_and_edits_send_only_changes(store):
    first = store.write_reflection("2026-11-24", "GOOD", text="ran 2 km")
    assert (first["userId"], first["date"], first["isShared"]) == (USER, "2026-11-24", False)
    second = store.write_reflection("2026-11-24", text="ran 3 km")
    assert (second["mood"], second["text"]) == ("GOOD", "ran 3 km")
    assert [(r[3], r[5]) for r in outbox_rows(store)] == [
        ("PUT", '{"mood":"GOOD","text":"ran 2 km"}'),
        ("PATCH", '{"text":"ran 3 km"}'),
    ]
    with pytest.raises(RuleViolation):
        store.write_reflection("2026-11-24", "GOOD", content={"insights": "not a Sunday"})
    with pytest.raises(RuleViolation):
        store.write_reflection("2026-11-25", text="no mood on a new reflection")
    sunday = store.write_reflection("2026-11-29", "GREAT", content={"gratitude": ["rest"]})
    assert sunday["content"] == {"gratitude": ["rest"]}


def test_todos_notifications_and_session_requests(store):
    todo = store.create_todo("call mentor", priority="high")
    assert store.toggle_todo(todo["todoId"])["done"] is True
    assert store.toggle_todo(todo["todoId"])["done"] is False
    note = store.mark_notification_read("n1")
    assert note == {"notificationId": "n1", "read": True, "_pending": True}
    session = store.request_session(
        "mentor-1",
        type="virtual",
        date="2026-12-01",
        time="14:00",
        duration=30,
        meeting_link="https://meet.example/x",
    )
    assert (session["status"], session["menteeId"]) == ("PENDING", USER)
    last = outbox_rows(store)[-1]
    assert last[1] == "SESSION" and last[3] == "PUT" and '"mentorId":"mentor-1"' in last[5]


def test_writers_that_need_the_user_refuse_before_sign_in(open_store):
    store = open_store("anonymous", sign_in=False)
    with pytest.raises(NotSignedIn):
        store.create_todo("whose?")
    assert outbox_rows(store) == []


# -- status, subscriptions and sign-in -----------------------------------------------------


def test_subscribers_hear_every_committed_change_with_the_derived_status(store):
    heard = []
    unsubscribe = store.subscribe(heard.append)
    store.create_todo("a")
    store.set_syncing(True)
    store.set_syncing(False)
    unsubscribe()
    store.create_todo("b")
    assert [s.label for s in heard] == [
        "Offline · 1 pending",
        "Syncing",
        "Offline · 1 pending",
    ]
    assert store.status().pending == 2


def test_another_user_signing_in_starts_clean_but_not_over_unsynced_changes(store):
    store.create_todo("mine")
    other = AuthSession("t", "r", "user-2")
    with pytest.raises(SyncError, match="1 changes"):
        store.adopt_session("http://x", other)
    assert store.sync_state().user_id == USER
    with store.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM outbox")
    client_id = store.sync_state().client_id
    store.adopt_session("http://x", other)
    assert store.user_id() == "user-2"
    record = store.sync_state()
    assert (record.user_id, record.last_mutation_id) == ("user-2", 0)
    assert record.client_id != client_id
    assert store.query("TODO") == []


def test_the_device_file_gets_a_uuid4_client_id_once(open_store):
    import uuid

    first = open_store("x").sync_state().client_id
    assert uuid.UUID(first).version == 4
    assert open_store("x").sync_state().client_id == first


def test_reads_see_a_consistent_file_from_a_second_process(store, tmp_path):
    store.create_todo("shared", todo_id="t1")
    engine = sa.create_engine(f"sqlite:///{store.path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 1
    engine.dispose()


def test_device_settings_are_kept_locally_and_never_queued(store):
    assert store.setting("reminders") is None
    store.put_setting("reminders", {"time": "08:00"})
    store.put_setting("reminders", {"time": "07:30", "quiet": ["22:00", "07:00"]})
    assert store.setting("reminders") == {"time": "07:30", "quiet": ["22:00", "07:00"]}
    assert store.pending() == 0


def test_a_failing_listener_neither_undoes_the_write_nor_silences_the_others(store):
    heard = []

    def broken(_status):
        raise RuntimeError("the tab is gone")

    store.subscribe(broken)
    store.subscribe(heard.append)
    store.create_todo("kept")
    assert store.pending() == 1 and [s.pending for s in heard] == [1]


def test_rung_reminders_are_kept_in_the_device_file_across_a_restart(tmp_path):
    path = tmp_path / "device.db"
    with DeviceStore(path) as first:
        assert first.rung_reminders() == frozenset()
        first.mark_rung(["habit:h1:2026-11-24", "session:s1:24h"])
        first.mark_rung(["habit:h1:2026-11-24"])  # again: harmless
        first.mark_rung([])
    with DeviceStore(path) as second:
        assert second.rung_reminders() == {"habit:h1:2026-11-24", "session:s1:24h"}


def test_the_device_file_holding_the_tokens_is_readable_by_its_owner_only(tmp_path):
    loose = tmp_path / "old.db"
    loose.touch(mode=0o644)
    loose.chmod(0o644)
    for path in (tmp_path / "new" / "device.db", loose):
        with DeviceStore(path) as device:
            device.put_setting("x", 1)  # a write: the WAL file exists now
            modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.glob(path.name + "*")}
        assert modes and set(modes.values()) == {0o600}, modes
