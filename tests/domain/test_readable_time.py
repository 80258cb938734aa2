"""Notification dates in the reader's zone: the day, the clock time and which clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.errors import RuleViolation
from domain.readable_time import reader_day, reader_time

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SESSION = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)  # a Friday, 13:00 UTC


@pytest.mark.parametrize(
    ("time_zone", "expected"),
    [
        ("Europe/Paris", "Fri 4 Dec, 14:00 CET"),
        ("America/Los_Angeles", "Fri 4 Dec, 05:00 PST"),
        ("Pacific/Kiritimati", "Sat 5 Dec, 03:00 UTC+14"),  # the next day there
        ("Asia/Kathmandu", "Fri 4 Dec, 18:45 UTC+5:45"),
        ("America/St_Johns", "Fri 4 Dec, 09:30 NST"),
        ("UTC", "Fri 4 Dec, 13:00 UTC"),
        ("America/Sao_Paulo", "Fri 4 Dec, 10:00 UTC-3"),
    ],
)
def test_the_reader_sees_their_own_day_clock_and_zone(time_zone: str, expected: str) -> None:
    assert reader_time(SESSION, time_zone, NOW) == expected


def test_daylight_saving_changes_the_clock_and_the_name() -> None:
    # Los Angeles moves to PDT on Sunday 8 March 2026 at 02:00 local.
    before = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)
    after = datetime(2026, 3, 8, 10, 30, tzinfo=UTC)
    march = datetime(2026, 3, 1, tzinfo=UTC)
    assert reader_time(before, "America/Los_Angeles", march) == "Sun 8 Mar, 01:30 PST"
    assert reader_time(after, "America/Los_Angeles", march) == "Sun 8 Mar, 03:30 PDT"
    # Paris in summer.
    assert reader_time(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "Europe/Paris", march) == (
        "Wed 1 Jul, 14:00 CEST"
    )


def test_the_year_shows_only_when_it_is_not_the_readers_year() -> None:
    new_year = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
    assert reader_time(new_year, "UTC", NOW) == "Mon 4 Jan 2027, 15:00 UTC"
    # 31 Dec 23:30 in Los Angeles is already 2027 in UTC, but not for her.
    eve = datetime(2027, 1, 1, 7, 30, tzinfo=UTC)
    assert reader_time(eve, "America/Los_Angeles", NOW) == "Thu 31 Dec, 23:30 PST"
    # In Kiritimati, "now" is already in 2027 when the instant is too.
    kiri_now = datetime(2026, 12, 31, 11, 0, tzinfo=UTC)  # 1 Jan 2027 01:00 there
    assert reader_time(eve, "Pacific/Kiritimati", kiri_now) == "Fri 1 Jan, 21:30 UTC+14"


def test_an_unknown_zone_is_a_rule_violation() -> None:
    with pytest.raises(RuleViolation):
        reader_time(SESSION, "Mars/Olympus", NOW)


def test_a_readers_own_day_reads_as_a_weekday_and_a_date() -> None:
    assert reader_day(date(2026, 11, 29), 2026) == "Sun 29 Nov"
    assert reader_day(date(2027, 1, 3), 2026) == "Sun 3 Jan 2027"
