"""The device's reminder schedule: local times in the user's zone, across DST, once each."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from domain.habits import HabitFrequency
from domain.reminder_preferences import DEFAULT, ReminderPreferences
from domain.reminder_schedule import (
    HabitCue,
    ReminderKind,
    SessionSlot,
    cue_clock_time,
    due,
    habit_reminders,
    reflection_reminders,
    session_reminders,
    summary,
    upcoming,
)

LISBON = "Europe/Lisbon"
TUESDAY = date(2026, 11, 24)


def cue(
    habit_id: str = "h1",
    cue_time: str | None = "07:30",
    *,
    weekly: bool = False,
    created: date = date(2026, 11, 1),
    done: frozenset[date] = frozenset(),
) -> HabitCue:
    frequency = HabitFrequency.WEEKLY if weekly else HabitFrequency.DAILY
    return HabitCue(habit_id, "Read one page", frequency, cue_time, created, done)


def test_a_daily_habit_rings_at_its_cue_time_in_the_users_zone_until_done() -> None:
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    done = frozenset({TUESDAY + timedelta(days=1)})
    found = habit_reminders([cue(done=done)], DEFAULT, LISBON, now)
    assert [(r.key, r.at) for r in found] == [
        ("habit:h1:2026-11-24", datetime(2026, 11, 24, 7, 30, tzinfo=UTC)),
        # the 25th is done already: no reminder
        ("habit:h1:2026-11-26", datetime(2026, 11, 26, 7, 30, tzinfo=UTC)),
    ]
    assert found[0].until == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    in_tokyo = habit_reminders([cue()], DEFAULT, "Asia/Tokyo", now, days=0)
    assert [r.at for r in in_tokyo] == [datetime(2026, 11, 23, 22, 30, tzinfo=UTC)]


def test_words_in_the_cue_ring_at_the_default_time_and_quiet_hours_stay_quiet() -> None:
    now = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    assert cue_clock_time("after breakfast") is None and cue_clock_time("7:05") == time(7, 5)
    words = habit_reminders([cue(cue_time="after breakfast")], DEFAULT, LISBON, now, days=0)
    assert [r.at.time() for r in words] == [DEFAULT.default_time]
    late = habit_reminders([cue(cue_time="23:15")], DEFAULT, LISBON, now, days=0)
    assert late == []  # quiet from 22:00 to 07:00
    no_quiet = ReminderPreferences(time(8, 0), time(0, 0), time(0, 0))
    assert len(habit_reminders([cue(cue_time="23:15")], no_quiet, LISBON, now, days=0)) == 1


def test_a_weekly_habit_rings_once_a_week_on_its_first_weekday_while_not_done() -> None:
    created = date(2026, 11, 5)  # a Thursday
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wednesday
    found = habit_reminders([cue(weekly=True, created=created)], DEFAULT, LISBON, now, days=8)
    assert [r.key for r in found] == ["habit:h1:2026-11-26", "habit:h1:2026-12-03"]
    done_this_week = frozenset({date(2026, 11, 23)})
    found = habit_reminders(
        [cue(weekly=True, created=created, done=done_this_week)], DEFAULT, LISBON, now, days=8
    )
    assert [r.key for r in found] == ["habit:h1:2026-12-03"]


def test_across_a_dst_change_the_habit_keeps_its_local_time() -> None:
    # Los Angeles leaves daylight time on Sunday 1 November 2026.
    now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    early = cue(cue_time="07:30", created=date(2026, 10, 1))
    found = habit_reminders([early], DEFAULT, "America/Los_Angeles", now)
    assert [r.local("America/Los_Angeles").time() for r in found] == [time(7, 30)] * 3
    assert [r.at for r in found] == [
        datetime(2026, 10, 31, 14, 30, tzinfo=UTC),  # PDT, UTC-7
        datetime(2026, 11, 1, 15, 30, tzinfo=UTC),  # PST, UTC-8
        datetime(2026, 11, 2, 15, 30, tzinfo=UTC),
    ]


def test_sessions_ring_24h_and_1h_before_and_the_reflection_on_sunday_evening() -> None:
    starts = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    found = session_reminders([SessionSlot("s1", "Career chat", starts)], now)
    assert [(r.key, r.at, r.until) for r in found] == [
        ("session:s1:24h", starts - timedelta(hours=24), starts),
        ("session:s1:1h", starts - timedelta(hours=1), starts),
    ]
    assert session_reminders([SessionSlot("s0", "Past", now - timedelta(minutes=1))], now) == []

    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    kiritimati = reflection_reminders(frozenset(), "Pacific/Kiritimati", saturday)
    los_angeles = reflection_reminders(frozenset(), "America/Los_Angeles", saturday)
    assert [r.at for r in kiritimati] == [datetime(2026, 11, 29, 4, 0, tzinfo=UTC)]  # UTC+14
    assert [r.at for r in los_angeles] == [datetime(2026, 11, 30, 2, 0, tzinfo=UTC)]  # UTC-8
    assert reflection_reminders(frozenset({date(2026, 11, 29)}), LISBON, saturday) == []


def test_due_shows_what_was_missed_once_and_upcoming_lists_the_rest() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    habits = [cue("h1", "07:30"), cue("h2", "09:00"), cue("h3", "20:00")]
    found = habit_reminders(habits, DEFAULT, LISBON, now, days=0)
    missed = due(found, frozenset(), now)
    assert [r.item_id for r in missed] == ["h1", "h2"]
    assert summary(missed) == "2 reminders: Read one page, Read one page"
    assert due(found, frozenset(r.key for r in missed), now) == []
    assert [r.item_id for r in upcoming(found, frozenset(), now)] == ["h3"]
    tomorrow = now + timedelta(days=1)
    assert due(found, frozenset(), tomorrow) == []  # yesterday's are no longer relevant
    assert summary(missed[:1]) == "Time for Read one page"
    assert found[0].kind is ReminderKind.HABIT


def test_a_habit_made_after_its_cue_time_first_rings_the_next_day() -> None:
    made = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    habit = HabitCue("h1", "Read", HabitFrequency.DAILY, "09:00", TUESDAY, frozenset(), made)
    found = habit_reminders([habit], DEFAULT, LISBON, made, days=1)
    assert [r.key for r in found] == ["habit:h1:2026-11-25"]
