"""Reflection rules: a quick daily check-in on any day, a structured weekly review on Sundays.

Reading of the spec: a weekly reflection must be dated on a Sunday and must carry the
structured `content`; a daily reflection (mood plus optional free `text`) may be written on
any day, Sunday included. Reflections are about days that have happened, never the future.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from domain.choices import parse_choice
from domain.errors import RuleViolation
from domain.text import check_text_length, require_text

MIN_MOOD_SCORE = 1
MAX_MOOD_SCORE = 10
MAX_GRATITUDE_ITEMS = 10
REQUIRED_WEEKLY_FIELDS = ("whatWentWell", "whatFeltHard", "insights")
SUNDAY = 6  # date.weekday()


class Mood(StrEnum):
    GREAT = "GREAT"
    GOOD = "GOOD"
    NEUTRAL = "NEUTRAL"
    BAD = "BAD"
    AWFUL = "AWFUL"


def parse_mood(value: object) -> Mood:
    """The mood as an enum member, else RuleViolation on "mood"."""
    return parse_choice(Mood, value, "mood")


def is_weekly_reflection_day(day: date) -> bool:
    """Sunday closes the ISO week, so it is the day to look back on it."""
    return day.weekday() == SUNDAY


def check_weekly_reflection_day(day: date) -> None:
    """Refuse a weekly reflection (one with the structured ``content``) on a day not a Sunday."""
    if not is_weekly_reflection_day(day):
        raise RuleViolation("a weekly reflection is written on a Sunday", field="date")


def _check_not_future(day: date, today: date) -> None:
    if day > today:
        raise RuleViolation("a reflection cannot be written for a future day", field="date")


def validate_daily_reflection(
    *, d: date, today: date, mood_score: int | None, text: str | None
) -> None:
    """A daily reflection: not in the future, mood score 1-10 if given, text within the cap."""
    _check_not_future(d, today)
    if mood_score is not None and (
        isinstance(mood_score, bool) or not MIN_MOOD_SCORE <= mood_score <= MAX_MOOD_SCORE
    ):
        raise RuleViolation(
            f"moodScore must be {MIN_MOOD_SCORE} to {MAX_MOOD_SCORE}, got {mood_score!r}",
            field="moodScore",
        )
    check_text_length(text, field="text")


def validate_weekly_reflection(*, d: date, today: date, content: Mapping[str, object]) -> None:
    """A weekly reflection: on a Sunday that has come, with every structured question answered
    and at most 10 non-empty gratitude items."""
    check_weekly_reflection_day(d)
    _check_not_future(d, today)
    for name in REQUIRED_WEEKLY_FIELDS:
        require_text(content.get(name), field=f"content.{name}")
    gratitude = content.get("gratitude")
    if gratitude is None:
        return
    if not isinstance(gratitude, list | tuple):
        raise RuleViolation("gratitude must be a list of strings", field="content.gratitude")
    if len(gratitude) > MAX_GRATITUDE_ITEMS:
        raise RuleViolation(
            f"at most {MAX_GRATITUDE_ITEMS} gratitude items", field="content.gratitude"
        )
    for item in gratitude:
        require_text(item, field="content.gratitude")
