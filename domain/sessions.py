"""Mentorship session rules: what a booking needs, who may move its status, when feedback opens.

Session status machine (anything else is an InvalidTransition)::

    PENDING ──confirm (mentor)──> CONFIRMED ──complete (mentor)──> COMPLETED
       │                            │  └────no-show (mentor, after start)──> NO_SHOW
       └──cancel (either)──> CANCELLED <──cancel (either)──┘

Feedback opens 24 hours after completion (so it is written with some distance) and closes
7 days after it (so it is still remembered); both ends are inclusive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import Enum, StrEnum

from domain.choices import parse_choice
from domain.clock import parse_local_date, parse_utc, require_aware
from domain.errors import InvalidTransition, NotAllowed, RuleViolation
from domain.horizon import check_within_horizon

FEEDBACK_OPENS_AFTER = timedelta(hours=24)
FEEDBACK_CLOSES_AFTER = timedelta(days=7)
_CLOCK_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class SessionStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    NO_SHOW = "NO_SHOW"


class SessionType(StrEnum):
    VIRTUAL = "virtual"
    IN_PERSON = "in_person"


class _Who(Enum):
    MENTOR = "the mentor"
    EITHER = "a participant"


@dataclass(frozen=True)
class _Move:
    who: _Who
    only_after_start: bool = False


_MOVES: dict[tuple[SessionStatus, SessionStatus], _Move] = {
    (SessionStatus.PENDING, SessionStatus.CONFIRMED): _Move(_Who.MENTOR),
    (SessionStatus.CONFIRMED, SessionStatus.COMPLETED): _Move(_Who.MENTOR),
    (SessionStatus.PENDING, SessionStatus.CANCELLED): _Move(_Who.EITHER),
    (SessionStatus.CONFIRMED, SessionStatus.CANCELLED): _Move(_Who.EITHER),
    (SessionStatus.CONFIRMED, SessionStatus.NO_SHOW): _Move(_Who.MENTOR, only_after_start=True),
}


def validate_session_request(
    session_type: str, venue_id: str | None, meeting_link: str | None
) -> SessionType:
    """In-person sessions need a venue, virtual ones a meeting link; returns the parsed type."""
    kind = parse_choice(SessionType, session_type, "type")
    if kind is SessionType.IN_PERSON and not (venue_id and venue_id.strip()):
        raise RuleViolation("an in-person session needs a venue", field="venueId")
    if kind is SessionType.VIRTUAL and not (meeting_link and meeting_link.strip()):
        raise RuleViolation("a virtual session needs a meeting link", field="meetingLink")
    return kind


def transition(
    current: str,
    target: str,
    *,
    actor_is_mentor: bool,
    actor_is_mentee: bool,
    now: datetime,
    starts_at: datetime,
) -> SessionStatus:
    """Check that the actor may move a session from `current` to `target`; returns `target`.

    Non-participants are refused before the state is even looked at, so they learn nothing.
    """
    source = parse_choice(SessionStatus, current, "status")
    goal = parse_choice(SessionStatus, target, "status")
    if not (actor_is_mentor or actor_is_mentee):
        raise NotAllowed("only the session's mentor or mentee may change it")
    move = _MOVES.get((source, goal))
    if move is None:
        raise InvalidTransition("session", source, goal)
    if move.who is _Who.MENTOR and not actor_is_mentor:
        raise NotAllowed(f"only the mentor may move a session from {source} to {goal}")
    if move.only_after_start and require_aware(now) < require_aware(starts_at):
        raise InvalidTransition("session", source, goal, "the session has not started yet")
    return goal


def parse_clock_time(text: object, field: str = "time") -> time:
    """Parse a 24-hour "HH:MM" wall-clock time."""
    match = _CLOCK_TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise RuleViolation(f"expected a time as HH:MM (24-hour), got {text!r}", field=field)
    return time(int(match.group(1)), int(match.group(2)))


def session_starts_at(date_iso: str, clock_time: str) -> datetime:
    """The instant a session starts: the UTC calendar day of `date_iso` at `clock_time` UTC.

    `date_iso` may be "YYYY-MM-DD" or a full ISO datetime; only its UTC day is used, and the
    separate "HH:MM" field is authoritative for the time of day.
    """
    if len(date_iso) == len("YYYY-MM-DD"):
        day = parse_local_date(date_iso, field="date")
    else:
        day = parse_utc(date_iso, field="date").date()
    return datetime.combine(day, parse_clock_time(clock_time), tzinfo=UTC)


def feedback_eligible(completed_at: datetime, now: datetime) -> bool:
    """Whether feedback may be given now: inside the window, 24 hours to 7 days after
    completion (both inclusive), so a closed window no longer invites feedback."""
    elapsed = require_aware(now) - require_aware(completed_at)
    return FEEDBACK_OPENS_AFTER <= elapsed <= FEEDBACK_CLOSES_AFTER


def check_feedback_window(completed_at: datetime, now: datetime) -> None:
    """Feedback may be submitted from 24 hours to 7 days after completion, both inclusive."""
    elapsed = require_aware(now) - require_aware(completed_at)
    if elapsed < FEEDBACK_OPENS_AFTER:
        raise RuleViolation(
            "feedback opens 24 hours after the session is completed", field="sessionId"
        )
    if elapsed > FEEDBACK_CLOSES_AFTER:
        raise RuleViolation(
            "feedback closed 7 days after the session was completed", field="sessionId"
        )


SLOT_HOLDING_STATUSES = frozenset({SessionStatus.PENDING, SessionStatus.CONFIRMED})
"""A session in one of these statuses holds its mentor's time: no other booking may overlap."""


def session_ends_at(starts_at: datetime, duration_minutes: int) -> datetime:
    """The instant a session of `duration_minutes` starting at `starts_at` ends."""
    return require_aware(starts_at) + timedelta(minutes=duration_minutes)


def slots_overlap(start_a: datetime, end_a: datetime, start_b: datetime, end_b: datetime) -> bool:
    """Whether two half-open time ranges [start, end) share an instant.

    Back-to-back sessions (one ends when the next starts) do not overlap.
    """
    return require_aware(start_a) < require_aware(end_b) and (
        require_aware(start_b) < require_aware(end_a)
    )


def check_session_in_future(starts_at: datetime, now: datetime) -> None:
    """A session can only be booked for a start after `now`."""
    if require_aware(starts_at) <= require_aware(now):
        raise RuleViolation("a session must start in the future", field="date")
    check_within_horizon(starts_at, now)


def venue_takes_bookings(venue: Mapping[str, object]) -> bool:
    """Whether a venue takes new sessions: an admin can switch one off (``isActive`` false);
    a venue stored before the field existed is active."""
    return venue.get("isActive") is not False


def check_venue_takes_bookings(venue: Mapping[str, object]) -> None:
    """A booking at a switched-off venue is refused (sessions already there stay)."""
    if not venue_takes_bookings(venue):
        name = venue.get("name")
        where = f"{name} is" if isinstance(name, str) and name else "this venue is"
        raise RuleViolation(
            f"{where} not taking bookings now; choose another venue", field="venueId"
        )
