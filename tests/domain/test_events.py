from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import Conflict, RuleViolation
from domain.events import (
    check_capacity,
    check_registration_cancellable,
    event_day,
    event_starts_at,
    validate_event_request,
)

STARTS_AT = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(("current", "maximum"), [(0, 1), (9, 10)])
def test_booking_is_accepted_while_places_remain(current, maximum):
    check_capacity(current, maximum)


@pytest.mark.parametrize(("current", "maximum"), [(1, 1), (10, 10), (12, 10)])
def test_booking_a_full_event_is_a_conflict(current, maximum):
    with pytest.raises(Conflict, match="event is full"):
        check_capacity(current, maximum)


@pytest.mark.parametrize(
    "before_start", [timedelta(hours=24), timedelta(hours=24, seconds=1), timedelta(days=10)]
)
def test_registration_can_be_cancelled_until_24_hours_before(before_start):
    check_registration_cancellable(STARTS_AT, STARTS_AT - before_start)


@pytest.mark.parametrize(
    "before_start",
    [
        timedelta(hours=24) - timedelta(microseconds=1),
        timedelta(hours=1),
        timedelta(0),
        -timedelta(hours=2),
    ],
)
def test_registration_cannot_be_cancelled_within_24_hours(before_start):
    with pytest.raises(RuleViolation) as caught:
        check_registration_cancellable(STARTS_AT, STARTS_AT - before_start)
    assert caught.value.field == "eventId"


@pytest.mark.parametrize(
    ("date_iso", "expected"),
    [
        ("2026-12-05T18:00:00.000000Z", "2026-12-05"),
        ("2026-12-05T23:30:00-05:00", "2026-12-06"),  # already the next day in UTC
        ("2026-12-06T00:30:00+02:00", "2026-12-05"),
        ("2026-12-05", "2026-12-05"),
    ],
)
def test_event_day_is_the_utc_calendar_day(date_iso, expected):
    assert event_day(date_iso) == expected


@pytest.mark.parametrize("date_iso", ["2026-12-05T18:00:00", "next friday", "2026-12-32"])
def test_event_day_refuses_ambiguous_or_bad_dates(date_iso):
    with pytest.raises(RuleViolation) as caught:
        event_day(date_iso)
    assert caught.value.field == "date"


def test_valid_event_request_passes():
    validate_event_request(max_attendees=1, duration_minutes=60, price=0.0)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"max_attendees": 0, "duration_minutes": 60, "price": 0.0}, "maxAttendees"),
        ({"max_attendees": 5, "duration_minutes": 0, "price": 0.0}, "duration"),
        ({"max_attendees": 5, "duration_minutes": 60, "price": -1.0}, "price"),
    ],
)
def test_invalid_event_requests_name_the_field(arguments, field):
    with pytest.raises(RuleViolation) as caught:
        validate_event_request(**arguments)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("date_iso", "clock_time", "expected"),
    [
        ("2026-12-05T18:00:00Z", "18:00", datetime(2026, 12, 5, 18, 0, tzinfo=UTC)),
        ("2026-12-05T00:00:00.000000Z", "09:30", datetime(2026, 12, 5, 9, 30, tzinfo=UTC)),
        ("2026-12-05", "23:59", datetime(2026, 12, 5, 23, 59, tzinfo=UTC)),
        ("2026-12-05T23:30:00-05:00", "08:00", datetime(2026, 12, 6, 8, 0, tzinfo=UTC)),
    ],
)
def test_event_starts_on_the_utc_day_of_date_at_time(date_iso, clock_time, expected):
    assert event_starts_at(date_iso, clock_time) == expected


@pytest.mark.parametrize(
    ("date_iso", "clock_time", "field"),
    [("2026-12-05T18:00:00Z", "6pm", "time"), ("2026-12-05T18:00:00", "18:00", "date")],
)
def test_event_start_refuses_bad_times_and_zoneless_dates(date_iso, clock_time, field):
    with pytest.raises(RuleViolation) as caught:
        event_starts_at(date_iso, clock_time)
    assert caught.value.field == field
