"""Reminders on the device: read from the device file, rung once per occurrence across
restarts, dropped when done or when the server sent its own, rescheduled after changes."""

from __future__ import annotations

import asyncio
import datetime as dt
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
from app.reminder_bell import REBUILD_DELAY_SECONDS, ReminderBell, wall_time
from app.state.context import UserContext
from app.state.reminders import (
    act_on,
    all_reminders,
    banner,
    due_reminders,
    next_reminders,
    set_habit_reminder,
)
from domain.clock import FixedClock, RunningClock
from domain.reminder_schedule import Reminder
from sync import DeviceStore, Entity
from sync.wire import AuthSession
from tests.app.conftest import USER, ZONE
from tests.app.seeding import completions, from_server, habit, user_profile

TODAY = dt.date(2026, 11, 24)  # Tuesday; the clock says 09:30 in Lisbon (UTC+0)


def seed(store: DeviceStore) -> None:
    from_server(
        store,
        Entity.HABIT,
        habit(USER, "h-read", "Read one page", cue={"time": "07:30", "place": "kitchen"}),
        habit(USER, "h-walk", "Walk around the block", cue={"time": "18:00"}),
        habit(USER, "h-words", "Stretch", cue={"time": "after breakfast"}),
        habit(USER, "h-paused", "Paused one", status="paused", cue={"time": "07:00"}),
    )


def session(session_id: str, day: str, at: str, status: str = "CONFIRMED") -> dict[str, object]:
    return {
        "sessionId": session_id,
        "menteeId": USER,
        "mentorId": "mentor-maya",
        "date": day,
        "time": at,
        "status": status,
        "topic": "Career chat",
    }


def keys(reminders: list[Reminder]) -> list[str]:
    return [r.key for r in reminders]


def test_due_and_next_come_from_the_device_file(user: UserContext, store: DeviceStore) -> None:
    seed(store)
    assert keys(due_reminders(user)) == ["habit:h-read:2026-11-24", "habit:h-words:2026-11-24"]
    assert keys(next_reminders(user))[:1] == ["habit:h-walk:2026-11-24"]
    assert not any("h-paused" in key for key in keys(all_reminders(user)))
    from_server(store, Entity.HABIT_COMPLETION, *completions(USER, "h-read", TODAY))
    assert keys(due_reminders(user)) == ["habit:h-words:2026-11-24"]  # done: no reminder
    set_habit_reminder(user, "h-words", False)
    assert due_reminders(user) == []
    assert not any("h-words" in key for key in keys(all_reminders(user)))
    set_habit_reminder(user, "h-words", True)
    assert keys(due_reminders(user)) == ["habit:h-words:2026-11-24"]


def test_a_session_rings_unless_the_server_already_sent_its_reminder(
    user: UserContext, store: DeviceStore
) -> None:
    from_server(
        store,
        Entity.SESSION,
        session("s1", "2026-11-25", "09:00"),
        session("s2", "2026-11-25", "10:00", status="REQUESTED"),
    )
    assert [k for k in keys(all_reminders(user)) if k.startswith("session")] == [
        "session:s1:24h",
        "session:s1:1h",
    ]
    assert keys(due_reminders(user)) == ["session:s1:24h"]  # 23.5 h before
    from_server(
        store,
        Entity.NOTIFICATION,
        {
            "notificationId": "n1",
            "userId": USER,
            "type": "session_reminder",
            "relatedId": "s1",
            "title": "Session tomorrow",
            "message": "Career chat with Maya",
            "read": False,
        },
    )
    assert due_reminders(user) == []


def test_the_banner_words_and_its_done_ticks_the_habit(
    user: UserContext, store: DeviceStore
) -> None:
    seed(store)
    due = due_reminders(user)
    together = banner(due)
    assert (together.text, together.action) == ("2 reminders: Read one page, Stretch", "Open")
    one = banner(due[:1])
    assert (one.text, one.action, one.habit_id) == ("Time for Read one page", "Done", "h-read")
    act_on(user, one)
    done = store.get(Entity.HABIT_COMPLETION, {"habitId": "h-read", "date": TODAY.isoformat()})
    assert done is not None and done["completed"] is True


async def test_the_bell_rings_once_even_across_a_restart_and_reschedules_after_changes(
    store: DeviceStore, clock: FixedClock, user: UserContext
) -> None:
    seed(store)
    rung: list[list[str]] = []
    bell = ReminderBell(lambda: user)
    bell.start()
    try:
        assert rung == []  # no tab yet: nothing is marked as rung
        forget = bell.listen(lambda due: rung.append(keys(due)))
        assert rung == [["habit:h-read:2026-11-24", "habit:h-words:2026-11-24"]]
        assert "habit:h-walk:2026-11-24" in bell.scheduled()
        store.complete_habit("h-walk", TODAY)  # done before its time: no reminder
        await asyncio.sleep(REBUILD_DELAY_SECONDS + 0.3)
        assert "habit:h-walk:2026-11-24" not in bell.scheduled()
        forget()
    finally:
        bell.stop()

    # The app restarts later that day: nothing rings twice, the evening's walk is done.
    clock.set(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    again = ReminderBell(lambda: user)
    again.start()
    try:
        again.listen(lambda due: rung.append(keys(due)))
        assert len(rung) == 1
        clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # the next morning
        again.ring_due()
        assert rung[1] == ["habit:h-read:2026-11-25", "habit:h-words:2026-11-25"]
    finally:
        again.stop()


async def test_a_new_time_zone_keeps_the_local_time(store: DeviceStore, clock: FixedClock) -> None:
    seed(store)
    tokyo = UserContext(store, clock, USER, "Asia/Tokyo")
    walk = [r for r in next_reminders(tokyo) if r.item_id == "h-walk"][0]
    assert walk.local("Asia/Tokyo").time() == dt.time(18, 0)
    lisbon = UserContext(store, clock, USER, ZONE)
    walk = [r for r in next_reminders(lisbon) if r.item_id == "h-walk"][0]
    assert walk.local(ZONE).time() == dt.time(18, 0)


def test_the_command_line_lists_what_will_ring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    path = tmp_path / "phone.db"
    with DeviceStore(path) as device:
        device.adopt_session("http://127.0.0.1:9", AuthSession("token", "refresh", USER))
        seed(device)
    assert main(["reminders", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"reminders of {USER} (UTC), soonest first:")
    walk = [line for line in out.splitlines() if "Walk around the block" in line]
    assert walk and "18:00 (" in walk[0] and "T18:00Z)" in walk[0]
    assert "Paused one" not in out
    empty = tmp_path / "empty.db"
    DeviceStore(empty).close()
    assert main(["reminders", "--db", str(empty)]) == 1


def test_the_sunday_reminder_rings_at_the_time_in_the_profile(
    store: DeviceStore, clock: FixedClock
) -> None:
    user = UserContext(store, clock, USER, ZONE)
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))  # Saturday morning in Lisbon

    def sunday_at() -> dt.time:
        (sunday,) = [r for r in all_reminders(user) if r.key == "reflection:2026-11-29"]
        return sunday.local(ZONE).time()

    assert sunday_at() == dt.time(18, 0)  # nothing chosen: the default evening
    from_server(store, Entity.USER, user_profile(USER, reflectionReminderTime="20:15"))
    assert sunday_at() == dt.time(20, 15)


def test_a_clock_set_apart_schedules_on_the_wall_clock() -> None:
    """The bell's jobs run on APScheduler's wall clock: a reminder ten seconds ahead on an
    app clock set three days later runs ten seconds from now, not three days ago."""
    before = datetime.now(UTC)
    clock = RunningClock(before + dt.timedelta(days=3))
    at = clock.now() + dt.timedelta(seconds=10)
    runs = wall_time(at, clock)
    after = datetime.now(UTC)
    assert before + dt.timedelta(seconds=10) <= runs <= after + dt.timedelta(seconds=10)
    assert clock.now() - datetime.now(UTC) > dt.timedelta(days=2, hours=23)


def test_the_app_refuses_a_clock_start_that_is_not_an_instant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["app", "--clock-start", "next sunday"]) == 2
    assert "--clock-start" in capsys.readouterr().err
