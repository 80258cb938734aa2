"""Reminder preferences: clock times, quiet hours across midnight, a time that never rings."""

from __future__ import annotations

from datetime import time

import pytest

from domain.errors import RuleViolation
from domain.reminder_preferences import (
    DEFAULT,
    from_settings,
    in_quiet_hours,
    parse_clock_time,
    reminder_preferences,
)


@pytest.mark.parametrize(("text", "expected"), [("7:05", time(7, 5)), (" 23:59 ", time(23, 59))])
def test_clock_times_parse(text, expected):
    assert parse_clock_time(text, "defaultTime") == expected


@pytest.mark.parametrize("text", ["24:00", "7", "07:60", "seven", ""])
def test_bad_clock_times_name_their_field(text):
    with pytest.raises(RuleViolation) as caught:
        parse_clock_time(text, "quietEnd")
    assert caught.value.field == "quietEnd"


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        (time(23, 0), time(22, 0), time(7, 0), True),
        (time(6, 59), time(22, 0), time(7, 0), True),
        (time(7, 0), time(22, 0), time(7, 0), False),
        (time(13, 0), time(12, 0), time(14, 0), True),
        (time(14, 0), time(12, 0), time(14, 0), False),
        (time(3, 0), time(9, 0), time(9, 0), False),
    ],
)
def test_quiet_hours_may_span_midnight(moment, start, end, quiet):
    assert in_quiet_hours(moment, start, end) is quiet


def test_a_reminder_inside_quiet_hours_is_refused():
    with pytest.raises(RuleViolation, match="never ring") as caught:
        reminder_preferences("23:30", "22:00", "07:00")
    assert caught.value.field == "defaultTime"


def test_stored_preferences_round_trip_and_garbage_gives_defaults():
    prefs = reminder_preferences("06:45", "21:00", "06:30")
    assert from_settings(prefs.as_settings()) == prefs
    assert from_settings(None) == from_settings({"defaultTime": "x"}) == DEFAULT
