"""Which reminders a device rings, and when: pure, from plain data and an explicit instant.

Every reminder is one *occurrence* with a stable key (``habit:<id>:<local day>``,
``session:<id>:24h``, ``reflection:<Sunday>``), so the same data always gives the same set,
and a device that records the keys it rang never rings one twice, across restarts too.

- A habit rings at its cue's time (a clock time in the cue, else the user's default time), in
  the user's zone, on each day it is due and not yet done: every day for a daily habit; for a
  weekly one, once a week, on the weekday it was created (ringing daily until done would nag).
  A time inside quiet hours does not ring. It stays relevant until the local day ends.
- A confirmed session rings 24 h and 1 h before it starts; relevant until it starts.
- The weekly reflection rings on Sunday at the user's chosen time (18:00 by default) while that
  Sunday's reflection is not written; relevant until Sunday ends.

Local times are turned into instants day by day with the zone's rules, so a daylight-saving
change or a new time zone keeps the same local time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from domain.clock import local_today, require_aware, zone
from domain.errors import RuleViolation
from domain.habits import HabitFrequency, period_of
from domain.reminder_preferences import ReminderPreferences, in_quiet_hours, parse_clock_time
from domain.reminders import SESSION_REMINDER_LEADS, WEEKLY_REFLECTION_EVENING

HORIZON_DAYS = 2
"""How far ahead a device schedules (it reschedules after every change, and at start)."""


class ReminderKind(StrEnum):
    HABIT = "habit"
    SESSION = "session"
    REFLECTION = "reflection"


@dataclass(frozen=True)
class Reminder:
    key: str
    """One occurrence: rung at most once per device."""
    kind: ReminderKind
    item_id: str
    """The habit, session or reflection day the reminder is about."""
    title: str
    at: datetime
    """When it rings (aware, UTC)."""
    until: datetime
    """After this it is no longer worth showing (aware, UTC)."""

    def local(self, time_zone: str) -> datetime:
        return self.at.astimezone(zone(time_zone))


@dataclass(frozen=True)
class HabitCue:
    habit_id: str
    title: str
    frequency: HabitFrequency
    cue_time: str | None
    """The cue's time as the user typed it: a clock time rings then; words ("after
    breakfast") ring at the default time."""
    created_on: date
    done_periods: frozenset[date]
    """First days of the periods already done (the day, or the Monday of a weekly habit)."""
    created_at: datetime | None = None
    """A reminder never rings for a moment before the habit existed (one made at noon with a
    09:00 cue first rings tomorrow)."""


@dataclass(frozen=True)
class SessionSlot:
    session_id: str
    title: str
    starts_at: datetime


def cue_clock_time(cue_time: str | None) -> time | None:
    """The cue's clock time, or ``None`` when it is words or empty."""
    if not cue_time:
        return None
    try:
        return parse_clock_time(cue_time, "cue.time")
    except RuleViolation:
        return None


def _instant(day: date, at: time, time_zone: str) -> datetime:
    """The UTC instant of a local wall-clock time (a time skipped by a DST jump moves on by
    the jump, as a wall clock does)."""
    local = datetime.combine(day, at, tzinfo=zone(time_zone))
    return local.astimezone(UTC)


def _days(now: datetime, time_zone: str, days: int) -> list[date]:
    today = local_today(now, time_zone)
    return [today + timedelta(days=n) for n in range(days + 1)]


def habit_reminders(
    habits: Iterable[HabitCue],
    prefs: ReminderPreferences,
    time_zone: str,
    now: datetime,
    days: int = HORIZON_DAYS,
) -> list[Reminder]:
    found = []
    for day in _days(require_aware(now), time_zone, days):
        for habit in habits:
            if habit.frequency == HabitFrequency.WEEKLY and day.weekday() != (
                habit.created_on.weekday()
            ):
                continue
            if day < habit.created_on or period_of(day, habit.frequency) in habit.done_periods:
                continue
            at = cue_clock_time(habit.cue_time) or prefs.default_time
            if in_quiet_hours(at, prefs.quiet_start, prefs.quiet_end):
                continue
            instant = _instant(day, at, time_zone)
            if habit.created_at is not None and instant < require_aware(habit.created_at):
                continue
            found.append(
                Reminder(
                    key=f"habit:{habit.habit_id}:{day.isoformat()}",
                    kind=ReminderKind.HABIT,
                    item_id=habit.habit_id,
                    title=habit.title,
                    at=instant,
                    until=_instant(day + timedelta(days=1), time(0, 0), time_zone),
                )
            )
    return found


def session_reminders(sessions: Iterable[SessionSlot], now: datetime) -> list[Reminder]:
    """24 h and 1 h before each confirmed session that has not started."""
    current = require_aware(now)
    found = []
    for session in sessions:
        starts = require_aware(session.starts_at)
        if starts <= current:
            continue
        for name, lead in SESSION_REMINDER_LEADS.items():
            found.append(
                Reminder(
                    key=f"session:{session.session_id}:{name.rsplit(':', 1)[-1]}",
                    kind=ReminderKind.SESSION,
                    item_id=session.session_id,
                    title=session.title,
                    at=starts - lead,
                    until=starts,
                )
            )
    return found


def reflection_reminders(
    written_sundays: frozenset[date],
    time_zone: str,
    now: datetime,
    evening: time = WEEKLY_REFLECTION_EVENING,
    days: int = HORIZON_DAYS,
) -> list[Reminder]:
    """Sunday evenings in the horizon whose weekly reflection is not written."""
    found = []
    for day in _days(require_aware(now), time_zone, days):
        if day.weekday() != 6 or day in written_sundays:
            continue
        found.append(
            Reminder(
                key=f"reflection:{day.isoformat()}",
                kind=ReminderKind.REFLECTION,
                item_id=day.isoformat(),
                title="Your weekly reflection",
                at=_instant(day, evening, time_zone),
                until=_instant(day + timedelta(days=1), time(0, 0), time_zone),
            )
        )
    return found


def due(reminders: Iterable[Reminder], rung: frozenset[str], now: datetime) -> list[Reminder]:
    """Those to show now: their time has come, they are still relevant, and they have not rung
    on this device. Several at once (the app was closed) are shown together, once."""
    current = require_aware(now)
    ready = [r for r in reminders if r.at <= current < r.until and r.key not in rung]
    return sorted(ready, key=lambda r: (r.at, r.key))


def upcoming(reminders: Iterable[Reminder], rung: frozenset[str], now: datetime) -> list[Reminder]:
    """Those still to ring, soonest first."""
    current = require_aware(now)
    later = [r for r in reminders if r.at > current and r.key not in rung]
    return sorted(later, key=lambda r: (r.at, r.key))


def summary(reminders: list[Reminder]) -> str:
    """One line for one or several reminders shown together (never a burst of banners)."""
    if not reminders:
        return ""
    if len(reminders) == 1:
        return _line(reminders[0])
    names = ", ".join(r.title for r in reminders[:3])
    more = f" and {len(reminders) - 3} more" if len(reminders) > 3 else ""
    return f"{len(reminders)} reminders: {names}{more}"


def _line(reminder: Reminder) -> str:
    if reminder.kind is ReminderKind.HABIT:
        return f"Time for {reminder.title}"
    if reminder.kind is ReminderKind.SESSION:
        lead = "tomorrow" if reminder.key.endswith(":24h") else "in an hour"
        return f"Session {lead}: {reminder.title}"
    return "Sunday evening: time for your weekly reflection"
