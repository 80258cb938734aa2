"""Today's model from a seeded device file: what is due, streaks from local completions, the
week strip, todos, mood, the next session, time-zone edges, and the writes its actions make."""

from __future__ import annotations

import datetime as dt
import json
from datetime import UTC, date, datetime

import pytest

from app.state.context import UserContext
from app.state.today import check_day, load_today, set_habit_done, toggle_todo
from domain.clock import FixedClock
from domain.errors import RuleViolation
from sync import DeviceStore, Entity
from tests.app.conftest import USER
from tests.app.seeding import completions, from_server, habit

TODAY = date(2026, 11, 24)  # a Tuesday; the `clock` fixture's day in Lisbon
MONDAY = date(2026, 11, 23)


def days_back(*counts: int) -> list[date]:
    return [TODAY - dt.timedelta(days=n) for n in counts]


def outbox_ops(store: DeviceStore) -> list[tuple[str, str, str]]:
    """(entity, op, fields JSON) of every queued change, oldest first."""
    with store.transaction(publish=False) as conn:
        return [
            (r.entity, r.op, r.fields)
            for r in conn.exec_driver_sql(
                "SELECT entity, op, fields FROM outbox ORDER BY mutation_id"
            )
        ]


def test_due_habits_are_the_users_active_ones_minus_archived_goals(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(
        store,
        Entity.HABIT,
        habit(USER, "h-read", "Read one page"),
        habit(USER, "h-paused", "Paused", status="paused"),
        habit(USER, "h-done", "Finished", status="completed"),
        habit(USER, "h-old", "Of an archived goal", goal_id="goal-archived"),
        habit("someone-else", "h-theirs", "Not mine"),
    )
    from_server(
        store,
        Entity.GOAL,
        {"goalId": "goal-archived", "userId": USER, "title": "Old", "status": "archived"},
    )
    model = load_today(user)
    assert [h.habit_id for h in model.habits] == ["h-read"]
    assert model.has_habits and model.day == TODAY == model.today
    assert (model.done, model.due, model.progress_words) == (0, 1, "0 of 1 done")


def test_no_habits_at_all_is_an_empty_day(user: UserContext) -> None:
    model = load_today(user)
    assert not model.has_habits and model.habits == ()
    assert model.progress == 0.0 and model.progress_words == "Nothing due"


def test_streaks_come_from_local_completions_not_the_servers_field(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(store, Entity.HABIT, habit(USER, "h1", "Stretch"))
    from_server(store, Entity.HABIT_COMPLETION, *completions(USER, "h1", *days_back(1, 2, 3, 5)))
    row = load_today(user).habits[0]
    assert (row.streak, row.done, row.pending) == (3, False, False)
    assert row.streak_words == "3 days in a row"

    set_habit_done(user, "h1", TODAY, True)
    row = load_today(user).habits[0]
    assert (row.streak, row.done, row.done_on, row.pending) == (4, True, TODAY, True)

    set_habit_done(user, "h1", TODAY - dt.timedelta(days=4), True)  # fills the gap
    assert load_today(user).habits[0].streak == 6


def test_weekly_habit_done_earlier_in_its_week_shows_done(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(store, Entity.HABIT, habit(USER, "w1", "Plan the week", frequency="weekly"))
    previous_monday = MONDAY - dt.timedelta(weeks=1)
    from_server(
        store, Entity.HABIT_COMPLETION, *completions(USER, "w1", previous_monday, MONDAY)
    )  # ticked on Monday
    row = load_today(user).habits[0]
    assert row.weekly and row.done and row.done_on == MONDAY
    assert (row.streak, row.streak_words) == (2, "2 weeks in a row")


def test_weekly_habit_across_a_week_boundary(
    store: DeviceStore, user: UserContext, clock: FixedClock
) -> None:
    """Done on Sunday: still done that Sunday, open again on Monday with the streak kept."""
    from_server(store, Entity.HABIT, habit(USER, "w1", "Plan the week", frequency="weekly"))
    sunday = date(2026, 11, 29)
    clock.set(datetime(2026, 11, 29, 23, 50, tzinfo=UTC))  # Sunday 23:50 in Lisbon
    set_habit_done(user, "w1", sunday, True)
    assert load_today(user).habits[0].done
    clock.set(datetime(2026, 11, 30, 0, 10, tzinfo=UTC))  # Monday 00:10 in Lisbon
    monday = load_today(user)
    assert monday.today == date(2026, 11, 30)
    assert not monday.habits[0].done and monday.habits[0].streak == 1
    assert load_today(user, sunday).habits[0].done  # back-filling shows last week's tick


@pytest.mark.parametrize(
    ("utc", "time_zone", "local_day"),
    [
        (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "Asia/Tokyo", date(2026, 11, 25)),
        (datetime(2026, 11, 24, 3, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 23)),
        (datetime(2026, 11, 24, 23, 59, tzinfo=UTC), "Europe/Lisbon", date(2026, 11, 24)),
    ],
)
def test_today_is_the_users_local_day_near_midnight_utc(
    store: DeviceStore, clock: FixedClock, utc: datetime, time_zone: str, local_day: date
) -> None:
    clock.set(utc)
    user = UserContext(store=store, clock=clock, user_id=USER, time_zone=time_zone)
    from_server(store, Entity.HABIT, habit(USER, "h1", "Stretch"))
    model = load_today(user)
    assert model.today == local_day == model.strip[-1].day
    set_habit_done(user, "h1", model.today, True)
    completion = store.get(Entity.HABIT_COMPLETION, {"habitId": "h1", "date": str(local_day)})
    assert completion is not None and completion["completed"] is True
    with pytest.raises(RuleViolation, match="future"):
        set_habit_done(user, "h1", local_day + dt.timedelta(days=1), True)


def test_back_fill_writes_the_chosen_day_and_refuses_older_or_future_days(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(store, Entity.HABIT, habit(USER, "h1", "Stretch"))
    week_ago = TODAY - dt.timedelta(days=7)
    set_habit_done(user, "h1", week_ago, True)
    assert store.status().pending == 1
    assert load_today(user, week_ago).habits[0].done
    for refused in (TODAY - dt.timedelta(days=8), TODAY + dt.timedelta(days=1)):
        with pytest.raises(RuleViolation):
            set_habit_done(user, "h1", refused, True)
        with pytest.raises(RuleViolation):
            load_today(user, refused)
    with pytest.raises(RuleViolation, match="up to 7 days back"):
        check_day(user, TODAY - dt.timedelta(days=8))
    assert store.status().pending == 1  # the refusals wrote nothing


def test_untick_writes_completed_false_and_an_untick_of_nothing_writes_nothing(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(store, Entity.HABIT, habit(USER, "h1", "Stretch"))
    from_server(store, Entity.HABIT_COMPLETION, *completions(USER, "h1", TODAY))
    assert load_today(user).habits[0].done
    set_habit_done(user, "h1", TODAY, False)
    row = store.get(Entity.HABIT_COMPLETION, {"habitId": "h1", "date": str(TODAY)})
    assert row is not None and row["completed"] is False and row["_pending"]
    assert [(e, op, json.loads(f or "{}")) for e, op, f in outbox_ops(store)] == [
        ("HABIT_COMPLETION", "PATCH", {"completed": False})
    ]
    assert not load_today(user).habits[0].done
    set_habit_done(user, "h1", TODAY, False)
    assert store.status().pending == 1


def test_a_habit_is_not_due_before_the_day_it_was_created(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(
        store,
        Entity.HABIT,
        habit(USER, "h-new", "New", created="2026-11-23T23:30:00.000000Z"),  # Mon in Lisbon
        habit(USER, "h-old", "Old"),
    )
    model = load_today(user)
    assert {h.habit_id for h in model.habits} == {"h-new", "h-old"}
    sunday = load_today(user, date(2026, 11, 22))
    assert [h.habit_id for h in sunday.habits] == ["h-old"]
    assert [(d.day, d.due) for d in model.strip][-3:] == [
        (date(2026, 11, 22), 1),
        (MONDAY, 2),
        (TODAY, 2),
    ]


def test_the_strip_has_the_back_fill_window_and_one_older_day(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(store, Entity.HABIT, habit(USER, "h1", "A"), habit(USER, "h2", "B"))
    from_server(store, Entity.HABIT_COMPLETION, *completions(USER, "h1", *days_back(0, 1)))
    from_server(store, Entity.HABIT_COMPLETION, *completions(USER, "h2", *days_back(1)))
    strip = load_today(user).strip
    assert [d.day for d in strip] == days_back(8, 7, 6, 5, 4, 3, 2, 1, 0)
    assert [d.selectable for d in strip] == [False] + [True] * 8
    assert [d.is_today for d in strip] == [False] * 8 + [True]
    assert [(d.done, d.due) for d in strip[-3:]] == [(0, 2), (2, 2), (1, 2)]


def test_habits_with_a_clock_time_cue_come_first_in_time_order(
    store: DeviceStore, user: UserContext
) -> None:
    from_server(
        store,
        Entity.HABIT,
        habit(USER, "h1", "Zen", cue={"place": "on the sofa"}),
        habit(USER, "h2", "Evening", cue={"time": "21:00"}),
        habit(USER, "h3", "Morning", cue={"time": "07:30", "place": "kitchen", "context": "tea"}),
        habit(USER, "h4", "Weekly", frequency="weekly", cue={"time": "06:00"}),
    )
    rows = load_today(user).habits
    assert [h.title for h in rows] == ["Morning", "Evening", "Zen", "Weekly"]
    assert rows[0].cue == "07:30 · kitchen · tea"


def test_todos_of_the_day_open_due_overdue_or_undated(
    store: DeviceStore, user: UserContext
) -> None:
    def todo(todo_id: str, **fields: object) -> dict[str, object]:
        return {"userId": USER, "todoId": todo_id, "text": todo_id, "done": False, **fields}

    from_server(
        store,
        Entity.TODO,
        todo("today-low", dueDate="2026-11-24", priority="low"),
        todo("today-high", dueDate="2026-11-24", priority="high"),
        todo("overdue", dueDate="2026-11-20"),
        todo("undated"),
        todo("tomorrow", dueDate="2026-11-25"),
        todo("finished", dueDate="2026-11-24", done=True),
        {"userId": "someone-else", "todoId": "theirs", "text": "x", "done": False},
    )
    todos = load_today(user).todos
    assert [t.todo_id for t in todos] == ["overdue", "today-high", "undated", "today-low"]
    assert todos[0].overdue and not todos[1].overdue and todos[2].due is None

    toggle_todo(user, "today-high")
    assert store.get(Entity.TODO, {"userId": USER, "todoId": "today-high"})["done"] is True  # type: ignore[index]
    assert "today-high" not in [t.todo_id for t in load_today(user).todos]
    kept = load_today(user, keep_todos={"today-high"}).todos
    assert [(t.todo_id, t.done, t.pending) for t in kept if t.done] == [("today-high", True, True)]


def test_mood_of_today(store: DeviceStore, user: UserContext) -> None:
    assert load_today(user).mood.mood is None
    store.write_reflection(TODAY, "GOOD", text="A calm day")
    mood = load_today(user).mood
    assert (mood.mood, mood.text, mood.pending) == ("GOOD", "A calm day", True)


def test_next_session_is_the_soonest_upcoming_one_in_the_users_zone(
    store: DeviceStore, user: UserContext, clock: FixedClock
) -> None:
    def session(session_id: str, day: str, time: str, status: str) -> dict[str, object]:
        return {
            "sessionId": session_id,
            "menteeId": USER,
            "mentorId": "mentor-1",
            "type": "virtual",
            "date": day,
            "time": time,
            "duration": 30,
            "status": status,
            "topic": "Morning routine",
        }

    assert load_today(user).next_session is None
    from_server(
        store,
        Entity.SESSION,
        session("past", "2026-11-24", "09:00", "CONFIRMED"),
        session("cancelled", "2026-11-24", "10:00", "CANCELLED"),
        session("later", "2026-12-02", "10:00", "CONFIRMED"),
        session("soon", "2026-11-27", "18:30", "CONFIRMED"),
    )
    from_server(store, Entity.USER, {"userId": "mentor-1", "name": "Marta Reis"})
    found = load_today(user).next_session
    assert found is not None and found.session_id == "soon"
    assert (found.with_whom, found.confirmed, found.virtual, found.pending) == (
        "Marta Reis",
        True,
        True,
        False,
    )
    tokyo = UserContext(store=store, clock=clock, user_id=USER, time_zone="Asia/Tokyo")
    local = load_today(tokyo).next_session
    assert local is not None and (local.starts_at.date(), local.starts_at.hour) == (
        date(2026, 11, 28),
        3,
    )
    store.request_session(
        "mentor-2", type="in_person", date="2026-11-25", time="12:00", duration=60
    )
    requested = load_today(user).next_session
    assert requested is not None and not requested.confirmed and requested.pending
    assert requested.with_whom == "your mentor" and not requested.virtual
