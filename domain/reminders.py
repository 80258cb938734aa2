"""When notifications are due: session reminders 24 hours and 1 hour before a session,
the weekly reflection reminder on Sunday, and the daily habit reminder at the user's time.

The functions say *whether* a reminder is due; the job that sends it records its key
(e.g. "session_reminder:24h") so a reminder is never sent twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from domain.clock import local_today, require_aware, zone
from domain.errors import RuleViolation
from domain.reflections import is_weekly_reflection_day
from domain.reminder_preferences import parse_clock_time

SESSION_REMINDER_LEADS: dict[str, timedelta] = {
    "session_reminder:24h": timedelta(hours=24),
    "session_reminder:1h": timedelta(hours=1),
}


class NotificationType(StrEnum):
    SESSION_BOOKED = "session_booked"
    SESSION_UPCOMING = "session_upcoming"
    SESSION_REMINDER = "session_reminder"
    FEEDBACK_RECEIVED = "feedback_received"
    BADGE_EARNED = "badge_earned"
    GOAL_APPROVED = "goal_approved"
    REFLECTION_REMINDER = "reflection_reminder"
    HABIT_REMINDER = "habit_reminder"
    EVENT_REGISTERED = "event_registered"
    ADMIN_UPDATE = "admin_update"
    GOAL_SUBMITTED = "goal_submitted"
    """To the mentor: a goal is waiting for their approval."""
    GOAL_RETURNED = "goal_returned"
    """To the mentee: the mentor sent the goal back to draft with a note."""
    SESSION_CONFIRMED = "session_confirmed"
    """To the mentee: the mentor confirmed her request."""
    SESSION_DECLINED = "session_declined"
    """To the mentee: the mentor cancelled her request while it was still pending."""
    SESSION_CANCELLED = "session_cancelled"
    """To the other participant: a confirmed session (or a mentee's own request) is off."""


def due_session_reminders(
    starts_at: datetime, *, now: datetime, already_sent: set[str]
) -> list[str]:
    """Keys of the session reminders to send now: their time has come, the session has not
    started, and they were not sent. A job that ran late sends only the nearest one."""
    start, current = require_aware(starts_at), require_aware(now)
    if current >= start:
        return []
    due = [key for key, lead in SESSION_REMINDER_LEADS.items() if current >= start - lead]
    latest = min(due, key=lambda key: SESSION_REMINDER_LEADS[key], default=None)
    if latest is None or latest in already_sent:
        return []
    return [latest]


def reflection_reminder_due(today: date) -> bool:
    """The weekly reflection reminder goes out on Sundays (the user's local day)."""
    return is_weekly_reflection_day(today)


def habit_reminder_due(
    *, now: datetime, time_zone: str, preferred_time: time, last_sent_on: date | None
) -> bool:
    """Whether today's habit reminder is due: the user's local time has reached their
    preferred time and none was sent on this local day yet."""
    today = local_today(now, time_zone)
    if last_sent_on is not None and last_sent_on >= today:
        return False
    local_time = require_aware(now).astimezone(zone(time_zone)).time()
    return local_time >= preferred_time


WEEKLY_REFLECTION_EVENING = time(18, 0)
"""When the Sunday reflection reminder goes out, in the user's own zone, unless they chose."""
REFLECTION_TIME_FIELD = "reflectionReminderTime"
"""The profile field holding the user's choice ("HH:MM"; absent: the default evening)."""


def parse_reflection_time(text: str) -> str:
    """A chosen Sunday reminder time, normalized to "HH:MM" (RuleViolation when not a time)."""
    return parse_clock_time(text, REFLECTION_TIME_FIELD).strftime("%H:%M")


def reflection_evening(stored: object) -> time:
    """The time the Sunday reminder rings for a profile's stored value (the default when it
    is absent or unreadable: an old or broken value must not silence the reminder)."""
    if not isinstance(stored, str):
        return WEEKLY_REFLECTION_EVENING
    try:
        return parse_clock_time(stored, REFLECTION_TIME_FIELD)
    except RuleViolation:
        return WEEKLY_REFLECTION_EVENING


def weekly_reflection_reminder_day(
    *, now: datetime, time_zone: str, evening: time = WEEKLY_REFLECTION_EVENING
) -> date | None:
    """The user's local Sunday whose reflection reminder is due at ``now`` (their evening
    has come and the day is not over), else None. The date makes the job's key."""
    today = local_today(now, time_zone)
    if not reflection_reminder_due(today):
        return None
    local_time = require_aware(now).astimezone(zone(time_zone)).time()
    return today if local_time >= evening else None
