"""Booked time slots: when two sessions of one mentor clash, and when a start is too early."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import RuleViolation
from domain.sessions import (
    SLOT_HOLDING_STATUSES,
    SessionStatus,
    check_session_in_future,
    session_ends_at,
    slots_overlap,
)

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return NOON + timedelta(minutes=minutes)


def test_a_session_ends_its_duration_after_its_start():
    assert session_ends_at(NOON, 90) == at(90)


@pytest.mark.parametrize(
    ("other_start", "other_end", "clash"),
    [
        (at(0), at(60), True),  # the same slot
        (at(30), at(90), True),  # starts inside
        (at(-30), at(30), True),  # ends inside
        (at(-30), at(120), True),  # contains it
        (at(15), at(45), True),  # inside it
        (at(60), at(120), False),  # back to back after
        (at(-60), at(0), False),  # back to back before
        (at(61), at(90), False),  # after
    ],
)
def test_slots_overlap_only_when_they_share_an_instant(other_start, other_end, clash):
    assert slots_overlap(at(0), at(60), other_start, other_end) is clash
    assert slots_overlap(other_start, other_end, at(0), at(60)) is clash


def test_only_pending_and_confirmed_sessions_hold_a_slot():
    assert SessionStatus.PENDING in SLOT_HOLDING_STATUSES
    assert SessionStatus.CONFIRMED in SLOT_HOLDING_STATUSES
    for status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED, SessionStatus.NO_SHOW):
        assert status not in SLOT_HOLDING_STATUSES


def test_a_session_must_start_after_now():
    check_session_in_future(NOON + timedelta(microseconds=1), NOON)
    for start in (NOON, NOON - timedelta(minutes=1)):
        with pytest.raises(RuleViolation) as caught:
            check_session_in_future(start, NOON)
        assert caught.value.field == "date"


def test_naive_datetimes_are_a_bug():
    with pytest.raises(ValueError):
        slots_overlap(datetime(2026, 12, 1), at(60), at(0), at(60))
