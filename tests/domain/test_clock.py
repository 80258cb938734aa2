from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domain.clock import (
    Clock,
    FixedClock,
    SystemClock,
    first_free_instant,
    local_today,
    parse_local_date,
    parse_utc,
    utc_iso,
    week_start,
)
from domain.errors import RuleViolation

NEW_YORK = "America/New_York"


def test_system_clock_returns_aware_utc_now():
    clock: Clock = SystemClock()
    before = datetime.now(UTC)
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert before <= now <= datetime.now(UTC)


def test_fixed_clock_stays_put_until_moved():
    start = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    clock = FixedClock(start)
    assert clock.now() == start
    assert clock.now() == start


def test_fixed_clock_advances_by_timedelta_arguments():
    clock = FixedClock(datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    returned = clock.advance(hours=24, minutes=1)
    assert returned == datetime(2026, 11, 25, 15, 31, tzinfo=UTC)
    assert clock.now() == returned


def test_fixed_clock_set_converts_to_utc():
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    clock.set(datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_fixed_clock_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        FixedClock(datetime(2026, 1, 1))
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="naive"):
        clock.set(datetime(2026, 1, 2))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 24, 15, 30, 0, 123456, tzinfo=UTC), "2026-11-24T15:30:00.123456Z"),
        (datetime(2026, 11, 24, 15, 30, tzinfo=UTC), "2026-11-24T15:30:00.000000Z"),
        (
            datetime(2026, 11, 24, 10, 30, tzinfo=timezone(timedelta(hours=-5))),
            "2026-11-24T15:30:00.000000Z",
        ),
    ],
)
def test_utc_iso_is_fixed_width_utc_with_z(moment, expected):
    assert utc_iso(moment) == expected


def test_utc_iso_sorts_like_time():
    earlier = datetime(2026, 11, 24, 15, 30, 0, tzinfo=UTC)
    later = earlier + timedelta(microseconds=1)
    assert utc_iso(earlier) < utc_iso(later)


def test_utc_iso_refuses_naive_datetime():
    with pytest.raises(ValueError):
        utc_iso(datetime(2026, 11, 24))


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-24T15:30:00.123456Z",
        "2026-11-24T15:30:00.123456+00:00",
        "2026-11-24T10:30:00.123456-05:00",
        "2026-11-24T17:30:00.123456+02:00",
    ],
)
def test_parse_utc_accepts_z_and_offsets(text):
    parsed = parse_utc(text)
    assert parsed == datetime(2026, 11, 24, 15, 30, 0, 123456, tzinfo=UTC)
    assert parsed.tzinfo is UTC


def test_parse_utc_round_trips_utc_iso():
    moment = datetime(2026, 3, 8, 7, 0, 0, 1, tzinfo=UTC)
    assert parse_utc(utc_iso(moment)) == moment


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-24T15:30", 5])
def test_parse_utc_refuses_garbage_and_zoneless_strings(text):
    with pytest.raises(RuleViolation) as caught:
        parse_utc(text, field="completedAt")
    assert caught.value.field == "completedAt"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # DST starts 2026-03-08 at 02:00 EST (07:00 UTC); midnight is 05:00 UTC before it...
        (datetime(2026, 3, 8, 4, 59, 59, tzinfo=UTC), date(2026, 3, 7)),
        (datetime(2026, 3, 8, 5, 0, tzinfo=UTC), date(2026, 3, 8)),
        # ...and 04:00 UTC after it.
        (datetime(2026, 3, 9, 3, 59, 59, tzinfo=UTC), date(2026, 3, 8)),
        (datetime(2026, 3, 9, 4, 0, tzinfo=UTC), date(2026, 3, 9)),
        # DST ends 2026-11-01 at 02:00 EDT (06:00 UTC): that day lasts 25 hours.
        (datetime(2026, 11, 1, 4, 0, tzinfo=UTC), date(2026, 11, 1)),
        (datetime(2026, 11, 2, 4, 30, tzinfo=UTC), date(2026, 11, 1)),
        (datetime(2026, 11, 2, 5, 0, tzinfo=UTC), date(2026, 11, 2)),
    ],
)
def test_local_today_follows_new_york_across_dst_changes(now, expected):
    assert local_today(now, NEW_YORK) == expected


def test_local_today_differs_by_zone_for_the_same_instant():
    now = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert local_today(now, "UTC") == date(2026, 11, 24)
    assert local_today(now, "Asia/Tokyo") == date(2026, 11, 25)
    assert local_today(now, "Pacific/Honolulu") == date(2026, 11, 24)


@pytest.mark.parametrize("zone_name", ["Mars/Olympus", "", "../etc/passwd", "/etc/localtime"])
def test_local_today_refuses_unknown_time_zone(zone_name):
    with pytest.raises(RuleViolation) as caught:
        local_today(datetime(2026, 11, 24, tzinfo=UTC), zone_name)
    assert caught.value.field == "timeZone"


def test_parse_local_date_reads_strict_iso_days():
    assert parse_local_date("2026-02-28", "date") == date(2026, 2, 28)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "20261124",
        "2026-W48-2",
        "2026-11-24T00:00:00Z",
        "26-11-24",
        " 2026-11-24",
        "２０２６-11-24",
        None,
    ],
)
def test_parse_local_date_refuses_other_forms(text):
    with pytest.raises(RuleViolation) as caught:
        parse_local_date(text, "dueDate")
    assert caught.value.field == "dueDate"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # Monday is its own week start
        (date(2026, 11, 29), date(2026, 11, 23)),  # Sunday still belongs to that week
        (date(2026, 11, 30), date(2026, 11, 30)),  # next Monday starts a new week
        (date(2027, 1, 1), date(2026, 12, 28)),  # a week spanning the new year
    ],
)
def test_week_start_is_the_iso_monday(day, expected):
    assert week_start(day) == expected


def test_the_first_free_instant_is_now_when_nothing_is_later():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert first_free_instant(now, []) == now
    assert first_free_instant(now, [now - timedelta(seconds=1)]) == now


def test_the_first_free_instant_steps_past_the_latest_taken_one():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    taken = [now, now + timedelta(microseconds=3), now - timedelta(days=1)]
    assert first_free_instant(now, taken) == now + timedelta(microseconds=4)


def test_the_first_free_instant_refuses_naive_times():
    with pytest.raises(ValueError):
        first_free_instant(datetime(2026, 11, 30, 12, 0), [])
