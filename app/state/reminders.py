"""The reminders of the signed-in user, read from the device file: what rings next, what is
due now, and the per-habit on/off switch. The schedule itself is ``domain.reminder_schedule``.

A reminder the server also sends as a notification for the same occurrence (a session's
reminders, the Sunday reflection) is not shown twice: once that notification is on the
device, the device's own reminder for it is dropped. Habit cues are the device's alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.state.context import UserContext
from app.state.profile import REMINDERS_SETTING
from app.state.today import active_habits, set_habit_done
from domain.clock import local_today, parse_utc
from domain.errors import RuleViolation
from domain.habits import HabitFrequency, period_of
from domain.reminder_preferences import from_settings
from domain.reminder_schedule import (
    HORIZON_DAYS,
    HabitCue,
    Reminder,
    ReminderKind,
    SessionSlot,
    due,
    habit_reminders,
    reflection_reminders,
    session_reminders,
    summary,
    upcoming,
)
from domain.reminders import REFLECTION_TIME_FIELD, NotificationType, reflection_evening
from domain.sessions import session_starts_at
from sync import Entity

HABITS_OFF_SETTING = "reminders.habitsOff"
"""Habit ids whose reminders the user switched off on this device."""


def all_reminders(user: UserContext, now: dt.datetime | None = None) -> list[Reminder]:
    """Every reminder from today to the horizon (rung or not), from the device file."""
    now = now or user.clock.now()
    prefs = from_settings(user.store.setting(REMINDERS_SETTING))
    found = habit_reminders(_habit_cues(user, now), prefs, user.time_zone, now)
    found += session_reminders(_sessions(user), now)
    profile = user.store.get(Entity.USER, {"userId": user.user_id}) or {}
    evening = reflection_evening(profile.get(REFLECTION_TIME_FIELD))
    found += reflection_reminders(_written_sundays(user, now), user.time_zone, now, evening)
    server_sent = _server_sent(user)
    return [r for r in found if (r.kind, r.item_id) not in server_sent]


def due_reminders(user: UserContext, now: dt.datetime | None = None) -> list[Reminder]:
    """What to show now (several are shown together, once)."""
    now = now or user.clock.now()
    return due(all_reminders(user, now), user.store.rung_reminders(), now)


def next_reminders(user: UserContext, now: dt.datetime | None = None) -> list[Reminder]:
    now = now or user.clock.now()
    return upcoming(all_reminders(user, now), user.store.rung_reminders(), now)


def mark_shown(user: UserContext, reminders: list[Reminder]) -> None:
    user.store.mark_rung(r.key for r in reminders)


@dataclass(frozen=True)
class Banner:
    """What a tab shows for reminders that came due together."""

    text: str
    action: str
    """The button's word: "Done" ticks the one habit, "Write" opens Reflect, "Open" goes to
    the day."""
    route: str | None
    habit_id: str | None = None


def banner(reminders: list[Reminder]) -> Banner:
    text = summary(reminders)
    if len(reminders) == 1 and reminders[0].kind is ReminderKind.HABIT:
        return Banner(text, "Done", None, reminders[0].item_id)
    if len(reminders) == 1 and reminders[0].kind is ReminderKind.REFLECTION:
        return Banner(text, "Write", "/reflect")
    return Banner(text, "Open", "/today")


def act_on(user: UserContext, shown: Banner) -> None:
    """The banner's "Done": tick its habit for today (nothing when it is done already)."""
    if shown.habit_id is not None:
        set_habit_done(user, shown.habit_id, user.today(), True)


def habits_off(user: UserContext) -> frozenset[str]:
    stored = user.store.setting(HABITS_OFF_SETTING)
    return frozenset(str(i) for i in stored) if isinstance(stored, list) else frozenset()


def set_habit_reminder(user: UserContext, habit_id: str, on: bool) -> None:
    """Switch one habit's reminders on or off on this device."""
    off = habits_off(user)
    off = off - {habit_id} if on else off | {habit_id}
    user.store.put_setting(HABITS_OFF_SETTING, sorted(off))


def _habit_cues(user: UserContext, now: dt.datetime) -> list[HabitCue]:
    today = local_today(now, user.time_zone)
    first = period_of(today, HabitFrequency.WEEKLY)
    last = today + dt.timedelta(days=HORIZON_DAYS)
    done: dict[str, set[dt.date]] = {}
    for row in user.store.query_key_range(
        Entity.HABIT_COMPLETION, "date", first.isoformat(), last.isoformat(), userId=user.user_id
    ):
        if row.get("completed"):
            done.setdefault(str(row["habitId"]), set()).add(dt.date.fromisoformat(row["date"]))
    off = habits_off(user)
    cues = []
    for habit_id, habit in active_habits(user).items():
        if habit_id in off:
            continue
        cue: Any = habit.row.get("cue") or {}
        frequency = HabitFrequency.WEEKLY if habit.weekly else HabitFrequency.DAILY
        cues.append(
            HabitCue(
                habit_id=habit_id,
                title=str(habit.row.get("title") or "your habit"),
                frequency=frequency,
                cue_time=str(cue.get("time") or "") if isinstance(cue, dict) else None,
                created_on=habit.created_on,
                done_periods=frozenset(done.get(habit_id, ())),
                created_at=_instant_or_none(habit.row.get("createdAt")),
            )
        )
    return cues


def _instant_or_none(value: object) -> dt.datetime | None:
    try:
        return parse_utc(value)
    except RuleViolation:
        return None


def _sessions(user: UserContext) -> list[SessionSlot]:
    slots = []
    for role in ("menteeId", "mentorId"):
        for row in user.store.query(Entity.SESSION, **{role: user.user_id}, status="CONFIRMED"):
            try:
                starts = session_starts_at(str(row.get("date")), str(row.get("time")))
            except RuleViolation:
                continue
            title = str(row.get("topic") or "Mentoring session")
            slots.append(SessionSlot(str(row["sessionId"]), title, starts))
    return slots


def _written_sundays(user: UserContext, now: dt.datetime) -> frozenset[dt.date]:
    today = local_today(now, user.time_zone)
    rows = user.store.query_key_range(
        Entity.REFLECTION,
        "date",
        today.isoformat(),
        (today + dt.timedelta(days=HORIZON_DAYS)).isoformat(),
        userId=user.user_id,
    )
    return frozenset(dt.date.fromisoformat(r["date"]) for r in rows if r.get("content"))


def _server_sent(user: UserContext) -> set[tuple[ReminderKind, str]]:
    """(kind, item) of the occurrences the server already notified this user of."""
    sent: set[tuple[ReminderKind, str]] = set()
    for row in user.store.query(Entity.NOTIFICATION, userId=user.user_id):
        kind = row.get("type")
        related = str(row.get("relatedId") or "")
        if kind == NotificationType.SESSION_REMINDER and related:
            sent.add((ReminderKind.SESSION, related))
        elif kind == NotificationType.REFLECTION_REMINDER and related:
            sent.add((ReminderKind.REFLECTION, related))
    return sent
