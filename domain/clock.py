"""Time as the rules see it: an injectable clock, UTC timestamps, local calendar days, ISO weeks.

Rules never read the system time themselves; they take `now` from a `Clock` so tests can
travel in time and the device client and the server agree on what "today" means.
Instants are timezone-aware UTC datetimes and are stored as "2026-11-24T15:30:00.123456Z".
Calendar days (habit completions, reflections) are plain `date`s in the user's time zone.
Weeks are ISO weeks: Monday to Sunday.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import RuleViolation

_LOCAL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Clock(Protocol):
    """Source of the current instant."""

    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...


class SystemClock:
    """The real wall clock, for production."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class RunningClock:
    """A clock set to ``start`` that then runs at the wall clock's pace: a demo or a browser
    test puts the whole app at a chosen moment (a minute before a reminder) without waiting."""

    def __init__(self, start: datetime) -> None:
        self._offset = require_aware(start) - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


class FixedClock:
    """A clock that only moves when told to, for tests that travel in time."""

    def __init__(self, start: datetime) -> None:
        self._now = require_aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (any aware datetime; kept in UTC)."""
        self._now = require_aware(moment)

    def advance(self, **delta: float) -> datetime:
        """Move forward by `timedelta(**delta)`, e.g. `advance(hours=24)`; returns the new now."""
        self._now = self._now + timedelta(**delta)
        return self._now


def require_aware(moment: datetime) -> datetime:
    """`moment` converted to UTC; a naive datetime is a bug because its zone is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: instants must be timezone-aware")
    return moment.astimezone(UTC)


def utc_iso(moment: datetime) -> str:
    """Storage form of an instant: UTC, always with microseconds, 'Z' suffix.

    A fixed width keeps string order equal to time order, which sort keys rely on.
    """
    return require_aware(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def first_free_instant(now: datetime, taken: Iterable[datetime]) -> datetime:
    """``now``, or one microsecond after the latest ``taken`` instant when that is not earlier.

    For sort keys that are timestamps (a user's notifications, badges): a clock that does not
    move, or several items in one change, must still give each item its own key.
    """
    latest = max((require_aware(t) for t in taken), default=None)
    moment = require_aware(now)
    if latest is not None and latest >= moment:
        return latest + timedelta(microseconds=1)
    return moment


def parse_utc(text: object, field: str = "timestamp") -> datetime:
    """Parse an ISO-8601 instant with 'Z' or an offset into an aware UTC datetime.

    Strings without a zone are refused: guessing one would shift the instant by hours.
    """
    if not isinstance(text, str):
        raise RuleViolation(f"expected an ISO-8601 timestamp, got {text!r}", field=field)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RuleViolation(f"{text!r} is not an ISO-8601 timestamp", field=field) from None
    if parsed.tzinfo is None:
        raise RuleViolation(f"{text!r} has no time zone; add 'Z' or an offset", field=field)
    return parsed.astimezone(UTC)


def zone(time_zone: str) -> ZoneInfo:
    """The IANA zone named `time_zone`, else RuleViolation on field "timeZone"."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise RuleViolation(f"{time_zone!r} is not an IANA time zone", field="timeZone") from None


def local_today(now: datetime, time_zone: str) -> date:
    """The calendar day it is at `now` for a user in `time_zone` (e.g. "America/New_York")."""
    return require_aware(now).astimezone(zone(time_zone)).date()


def parse_local_date(text: object, field: str) -> date:
    """Parse a strict YYYY-MM-DD calendar day (no week dates, no times, no compact form)."""
    if not isinstance(text, str) or not _LOCAL_DATE.fullmatch(text):
        raise RuleViolation(f"expected a date as YYYY-MM-DD, got {text!r}", field=field)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleViolation(f"{text!r} is not a real calendar date", field=field) from None


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week; weeks run Monday to Sunday."""
    return day - timedelta(days=day.weekday())
