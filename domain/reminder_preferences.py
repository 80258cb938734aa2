"""A user's reminder preferences: the default reminder time and quiet hours. Pure.

Quiet hours may span midnight (22:00-07:00). Equal start and end mean "no quiet hours". A
default time inside quiet hours is refused: a reminder set there would never ring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from domain.errors import RuleViolation

_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class ReminderPreferences:
    default_time: time
    quiet_start: time
    quiet_end: time

    def as_settings(self) -> dict[str, str]:
        return {
            "defaultTime": self.default_time.strftime("%H:%M"),
            "quietStart": self.quiet_start.strftime("%H:%M"),
            "quietEnd": self.quiet_end.strftime("%H:%M"),
        }


DEFAULT = ReminderPreferences(time(8, 0), time(22, 0), time(7, 0))


def parse_clock_time(text: str, field: str) -> time:
    """``"7:05"`` / ``"07:05"`` -> 07:05, else RuleViolation on ``field``."""
    found = _CLOCK_TIME.fullmatch(text.strip())
    if found is None:
        raise RuleViolation(f"{text!r} is not a time like 07:30", field=field)
    return time(int(found.group(1)), int(found.group(2)))


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def reminder_preferences(
    default_time: str, quiet_start: str, quiet_end: str
) -> ReminderPreferences:
    """Validated preferences from the form's texts."""
    prefs = ReminderPreferences(
        parse_clock_time(default_time, "defaultTime"),
        parse_clock_time(quiet_start, "quietStart"),
        parse_clock_time(quiet_end, "quietEnd"),
    )
    if in_quiet_hours(prefs.default_time, prefs.quiet_start, prefs.quiet_end):
        raise RuleViolation(
            "The reminder time falls in your quiet hours, so it would never ring",
            field="defaultTime",
        )
    return prefs


def from_settings(stored: object) -> ReminderPreferences:
    """Preferences kept on the device; anything unreadable gives the defaults."""
    if not isinstance(stored, dict):
        return DEFAULT
    try:
        return reminder_preferences(
            str(stored["defaultTime"]), str(stored["quietStart"]), str(stored["quietEnd"])
        )
    except (KeyError, RuleViolation):
        return DEFAULT
