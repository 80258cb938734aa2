"""Micro-habit rules: a habit takes at most two minutes, and is tracked per day or per ISO week.

Completions may be logged retroactively for up to 7 days (so a missed check-in on a busy
day can be caught up), never for a day that has not happened yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum

from domain.choices import parse_choice
from domain.clock import week_start
from domain.errors import Conflict, InvalidTransition, RuleViolation

MIN_DURATION_MINUTES = 1
MAX_DURATION_MINUTES = 2
RETROACTIVE_DAYS = 7


class HabitFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class HabitStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"


def validate_habit_duration(minutes: int) -> None:
    """A micro-habit takes 1 or 2 minutes: small enough that there is no excuse to skip it."""
    if not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES:
        raise RuleViolation(
            f"a habit takes {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes,"
            f" got {minutes}",
            field="duration",
        )


def parse_frequency(frequency: HabitFrequency | str) -> HabitFrequency:
    """The frequency as an enum member; a stray string must not silently count as weekly."""
    return parse_choice(HabitFrequency, frequency, "frequency")


def period_of(day: date, frequency: HabitFrequency | str) -> date:
    """The tracking period `day` falls in, named by its first day (the Monday for weekly)."""
    return period_start(frequency)(day)


def period_start(frequency: HabitFrequency | str) -> Callable[[date], date]:
    """``period_of`` for one frequency, parsed once: for mapping many days (a habit's
    completions on every dashboard read)."""
    return _same_day if parse_frequency(frequency) is HabitFrequency.DAILY else week_start


def _same_day(day: date) -> date:
    return day


def period_step(frequency: HabitFrequency | str) -> timedelta:
    """Distance between the starts of two consecutive periods."""
    daily = parse_frequency(frequency) is HabitFrequency.DAILY
    return timedelta(days=1) if daily else timedelta(weeks=1)


def validate_completion_date(day: date, *, today: date) -> None:
    """A completion is for today or one of the 7 days before it (the user's local days)."""
    if day > today:
        raise RuleViolation("a habit cannot be completed for a future day", field="date")
    if today - day > timedelta(days=RETROACTIVE_DAYS):
        raise RuleViolation(
            f"completions can only be logged up to {RETROACTIVE_DAYS} days back", field="date"
        )


def parse_status(status: HabitStatus | str) -> HabitStatus:
    return parse_choice(HabitStatus, status, "status")


def pause(status: HabitStatus | str) -> HabitStatus:
    """Only an active habit can be paused."""
    source = parse_status(status)
    if source is not HabitStatus.ACTIVE:
        raise InvalidTransition("habit", source, HabitStatus.PAUSED, "only active habits pause")
    return HabitStatus.PAUSED


def resume(status: HabitStatus | str) -> HabitStatus:
    """Only a paused habit can be resumed."""
    source = parse_status(status)
    if source is not HabitStatus.PAUSED:
        raise InvalidTransition("habit", source, HabitStatus.ACTIVE, "only paused habits resume")
    return HabitStatus.ACTIVE


def require_completable(status: HabitStatus | str) -> None:
    """Completions are logged for active habits only (paused and completed ones are at rest)."""
    source = parse_status(status)
    if source is not HabitStatus.ACTIVE:
        raise Conflict(f"a {source} habit cannot be completed; resume it first")
