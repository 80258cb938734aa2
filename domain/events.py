"""Community event rules: capacity at booking, a 24-hour cancellation cut-off, event days.

The cut-off gives the host a day's notice to fill a freed place or adjust the venue booking.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.clock import parse_local_date, parse_utc, require_aware
from domain.errors import Conflict, RuleViolation
from domain.sessions import session_starts_at

CANCELLATION_CUTOFF = timedelta(hours=24)


def validate_event_request(*, max_attendees: int, duration_minutes: int, price: float) -> None:
    """An event has room for at least one person, lasts at least a minute, and costs 0 or more."""
    if max_attendees < 1:
        raise RuleViolation("maxAttendees must be at least 1", field="maxAttendees")
    if duration_minutes < 1:
        raise RuleViolation("duration must be at least 1 minute", field="duration")
    if price < 0:
        raise RuleViolation("price cannot be negative", field="price")


def check_capacity(current_attendees: int, max_attendees: int) -> None:
    """Booking is refused once the registered attendees fill `maxAttendees`."""
    if current_attendees >= max_attendees:
        raise Conflict("event is full")


def check_registration_cancellable(event_starts_at: datetime, now: datetime) -> None:
    """A registration can be cancelled until 24 hours before the event starts (inclusive)."""
    if require_aware(event_starts_at) - require_aware(now) < CANCELLATION_CUTOFF:
        raise RuleViolation(
            "registrations can only be cancelled up to 24 hours before the event",
            field="eventId",
        )


def event_day(date_iso: str) -> str:
    """The YYYY-MM-DD day of the event's UTC start; used to list and index events by day.

    Accepts a full ISO datetime (converted to UTC first) or an already plain YYYY-MM-DD.
    """
    if len(date_iso) == len("YYYY-MM-DD"):
        return parse_local_date(date_iso, field="date").isoformat()
    return parse_utc(date_iso, field="date").date().isoformat()


def event_starts_at(date_iso: str, clock_time: str) -> datetime:
    """When an event starts, read exactly like a session: the UTC calendar day of `date_iso`
    at the "HH:MM" `clock_time` in UTC (the separate time field is authoritative)."""
    return session_starts_at(date_iso, clock_time)
