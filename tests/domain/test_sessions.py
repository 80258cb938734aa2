from datetime import UTC, datetime, timedelta

import pytest

from domain.clock import FixedClock
from domain.errors import Conflict, InvalidTransition, NotAllowed, RuleViolation
from domain.sessions import (
    SessionStatus,
    SessionType,
    check_feedback_window,
    check_venue_takes_bookings,
    feedback_eligible,
    session_starts_at,
    transition,
    validate_session_request,
    venue_takes_bookings,
)

STARTS_AT = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
BEFORE_START = STARTS_AT - timedelta(hours=1)
AFTER_START = STARTS_AT + timedelta(minutes=5)

MENTOR = {"actor_is_mentor": True, "actor_is_mentee": False}
MENTEE = {"actor_is_mentor": False, "actor_is_mentee": True}
STRANGER = {"actor_is_mentor": False, "actor_is_mentee": False}
ALL_STATUSES = list(SessionStatus)


def move(current, target, actor, now=BEFORE_START):
    return transition(current, target, now=now, starts_at=STARTS_AT, **actor)


# --- booking ---------------------------------------------------------------------------


def test_in_person_session_with_venue_is_accepted():
    assert validate_session_request("in_person", "venue-1", None) is SessionType.IN_PERSON


def test_virtual_session_with_link_is_accepted():
    assert validate_session_request("virtual", None, "https://meet.example/x") is (
        SessionType.VIRTUAL
    )


@pytest.mark.parametrize("venue_id", [None, "", "   "])
def test_in_person_session_needs_a_venue(venue_id):
    with pytest.raises(RuleViolation) as caught:
        validate_session_request("in_person", venue_id, "https://meet.example/x")
    assert caught.value.field == "venueId"


@pytest.mark.parametrize("link", [None, "", "  "])
def test_virtual_session_needs_a_meeting_link(link):
    with pytest.raises(RuleViolation) as caught:
        validate_session_request("virtual", "venue-1", link)
    assert caught.value.field == "meetingLink"


def test_unknown_session_type_is_refused():
    with pytest.raises(RuleViolation) as caught:
        validate_session_request("hybrid", "venue-1", "https://meet.example/x")
    assert caught.value.field == "type"


# --- status machine --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        ("PENDING", "CONFIRMED", MENTOR),
        ("CONFIRMED", "COMPLETED", MENTOR),
        ("PENDING", "CANCELLED", MENTOR),
        ("PENDING", "CANCELLED", MENTEE),
        ("CONFIRMED", "CANCELLED", MENTOR),
        ("CONFIRMED", "CANCELLED", MENTEE),
    ],
)
def test_allowed_moves_return_the_target_status(current, target, actor):
    assert move(current, target, actor) is SessionStatus(target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("PENDING", "CONFIRMED"),
        ("CONFIRMED", "COMPLETED"),
        ("CONFIRMED", "NO_SHOW"),
    ],
)
def test_mentee_cannot_make_mentor_only_moves(current, target):
    with pytest.raises(NotAllowed):
        move(current, target, MENTEE, now=AFTER_START)


@pytest.mark.parametrize(
    ("current", "target"), [("PENDING", "CONFIRMED"), ("PENDING", "CANCELLED")]
)
def test_non_participant_is_refused_before_anything_else(current, target):
    with pytest.raises(NotAllowed):
        move(current, target, STRANGER)
    with pytest.raises(NotAllowed):  # even for a move that does not exist
        move("COMPLETED", "PENDING", STRANGER)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("CANCELLED", "COMPLETED"),
        ("PENDING", "COMPLETED"),
        ("COMPLETED", "CANCELLED"),
        ("NO_SHOW", "CANCELLED"),
        ("CANCELLED", "CONFIRMED"),
        ("COMPLETED", "PENDING"),
        ("PENDING", "NO_SHOW"),
        ("CONFIRMED", "PENDING"),
        ("CONFIRMED", "CONFIRMED"),
    ],
)
def test_moves_outside_the_machine_are_invalid_transitions(current, target):
    with pytest.raises(InvalidTransition) as caught:
        move(current, target, MENTOR, now=AFTER_START)
    assert isinstance(caught.value, Conflict)
    assert (caught.value.current, caught.value.target) == (current, target)


@pytest.mark.parametrize("current", ALL_STATUSES)
@pytest.mark.parametrize("target", ALL_STATUSES)
def test_every_pair_either_moves_or_raises_a_domain_error(current, target):
    allowed = {
        ("PENDING", "CONFIRMED"),
        ("CONFIRMED", "COMPLETED"),
        ("PENDING", "CANCELLED"),
        ("CONFIRMED", "CANCELLED"),
        ("CONFIRMED", "NO_SHOW"),
    }
    if (current, target) in allowed:
        assert move(current, target, MENTOR, now=AFTER_START) is target
    else:
        with pytest.raises(InvalidTransition):
            move(current, target, MENTOR, now=AFTER_START)


def test_no_show_needs_the_session_to_have_started():
    with pytest.raises(InvalidTransition, match="not started"):
        move("CONFIRMED", "NO_SHOW", MENTOR, now=STARTS_AT - timedelta(microseconds=1))
    assert move("CONFIRMED", "NO_SHOW", MENTOR, now=STARTS_AT) is SessionStatus.NO_SHOW


def test_unknown_status_is_a_rule_violation():
    with pytest.raises(RuleViolation) as caught:
        move("DONE", "COMPLETED", MENTOR)
    assert caught.value.field == "status"


# --- start time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date_iso",
    ["2026-11-24", "2026-11-24T00:00:00.000000Z", "2026-11-24T09:00:00+02:00"],
)
def test_session_starts_at_combines_utc_day_and_clock_time(date_iso):
    assert session_starts_at(date_iso, "14:00") == STARTS_AT


def test_session_starts_at_uses_the_utc_day_of_an_offset_datetime():
    # 23:00 at -05:00 on the 23rd is already the 24th in UTC.
    assert session_starts_at("2026-11-23T23:00:00-05:00", "08:30") == datetime(
        2026, 11, 24, 8, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("clock_time", ["24:00", "9:00", "14:60", "14:00:00", "2pm", ""])
def test_session_starts_at_refuses_bad_times(clock_time):
    with pytest.raises(RuleViolation) as caught:
        session_starts_at("2026-11-24", clock_time)
    assert caught.value.field == "time"


@pytest.mark.parametrize("date_iso", ["2026-02-30", "tomorrow", "2026-11-24T10:00"])
def test_session_starts_at_refuses_bad_dates(date_iso):
    with pytest.raises(RuleViolation) as caught:
        session_starts_at(date_iso, "14:00")
    assert caught.value.field == "date"


# --- feedback window -------------------------------------------------------------------

COMPLETED_AT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "eligible"),
    [
        (timedelta(0), False),
        (timedelta(hours=24) - timedelta(microseconds=1), False),
        (timedelta(hours=24), True),
        (timedelta(days=3), True),
        (timedelta(days=7), True),
        (timedelta(days=7, microseconds=1), False),
    ],
)
def test_feedback_is_eligible_only_inside_the_window(elapsed, eligible):
    assert feedback_eligible(COMPLETED_AT, COMPLETED_AT + elapsed) is eligible


@pytest.mark.parametrize("elapsed", [timedelta(hours=24), timedelta(days=4), timedelta(days=7)])
def test_feedback_window_is_open_from_24_hours_to_7_days_inclusive(elapsed):
    check_feedback_window(COMPLETED_AT, COMPLETED_AT + elapsed)


@pytest.mark.parametrize(
    ("elapsed", "message"),
    [
        (timedelta(hours=23, minutes=59), "opens"),
        (timedelta(days=7, microseconds=1), "closed"),
        (timedelta(days=30), "closed"),
    ],
)
def test_feedback_window_refuses_too_early_and_too_late(elapsed, message):
    with pytest.raises(RuleViolation, match=message) as caught:
        check_feedback_window(COMPLETED_AT, COMPLETED_AT + elapsed)
    assert caught.value.field == "sessionId"


def test_feedback_window_follows_a_travelling_clock():
    clock = FixedClock(COMPLETED_AT)
    assert not feedback_eligible(COMPLETED_AT, clock.now())
    clock.advance(hours=24)
    assert feedback_eligible(COMPLETED_AT, clock.now())
    clock.advance(days=6)
    check_feedback_window(COMPLETED_AT, clock.now())
    clock.advance(seconds=1)
    assert not feedback_eligible(COMPLETED_AT, clock.now())
    clock.advance(seconds=1)
    with pytest.raises(RuleViolation):
        check_feedback_window(COMPLETED_AT, clock.now())


@pytest.mark.parametrize(
    ("venue", "takes"),
    [
        ({}, True),
        ({"isActive": None}, True),
        ({"isActive": True}, True),
        ({"isActive": False}, False),
    ],
)
def test_only_a_venue_switched_off_refuses_bookings(venue, takes):
    assert venue_takes_bookings(venue) is takes


def test_a_refused_venue_is_named_in_the_reason():
    with pytest.raises(RuleViolation) as refused:
        check_venue_takes_bookings({"name": "Alfama Library", "isActive": False})
    assert refused.value.field == "venueId"
    assert refused.value.message.startswith("Alfama Library is not taking bookings")
    check_venue_takes_bookings({"name": "Alfama Library"})  # active: no error
