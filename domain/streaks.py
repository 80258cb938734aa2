"""Habit streaks, completion rate and history, computed from the days a habit was completed.

Inputs are the local calendar days of completion records with `completed = true`.
A streak counts consecutive completed periods (days, or ISO weeks for weekly habits).
It is only broken by a period that is fully over and was missed: if today (or this week)
is not completed yet, the streak still stands on the previous period. Several completions
in one week count once. Days after `today` are ignored; they can only come from clock skew.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.habits import HabitFrequency, parse_frequency
from domain.rounding import percent_of

HISTORY_DAYS = 30


def _completed_periods(
    completed: Iterable[date], *, today: date, frequency: HabitFrequency | str
) -> set[int]:
    """The periods with a completion up to today, as the day ordinals of their first days
    (ordinals: integer steps are several times cheaper than date arithmetic)."""
    return _periods(_days_up_to(completed, today), _step(frequency))


def _days_up_to(completed: Iterable[date], today: date) -> set[int]:
    last = today.toordinal()
    return {ordinal for ordinal in map(date.toordinal, completed) if ordinal <= last}


def _periods(days: set[int], step: int) -> set[int]:
    return days if step == 1 else {_monday(day) for day in days}


def _monday(ordinal: int) -> int:
    """The ordinal of the Monday of that day's ISO week (ordinal 1, 0001-01-01, a Monday)."""
    return ordinal - (ordinal - 1) % 7


def _step(frequency: HabitFrequency | str) -> int:
    return 1 if parse_frequency(frequency) is HabitFrequency.DAILY else 7


def _period(day: date, step: int) -> int:
    ordinal = day.toordinal()
    return ordinal if step == 1 else _monday(ordinal)


def _count(first: int, last: int, step: int) -> int:
    """Periods from the one starting on ordinal ``first`` through the one on ``last``."""
    return 0 if last < first else (last - first) // step + 1


def _run_ending_at(periods: set[int], period: int, step: int) -> int:
    """Completed periods in a row ending at ``period``, or at the one before it if
    ``period`` itself is not completed (it may still be open)."""
    if period not in periods:
        period -= step
    streak = 0
    while period in periods:
        streak += 1
        period -= step
    return streak


def _longest_run(periods: set[int], step: int) -> int:
    longest = run = 0
    previous = None
    for period in sorted(periods):
        run = run + 1 if period - step == previous else 1
        if run > longest:
            longest = run
        previous = period
    return longest


def _rate(periods: set[int], first: int, total: int) -> float:
    """Percent of ``total`` periods, from ``first`` on, that are in ``periods``."""
    if total == 0:
        return 0.0
    done = sum(1 for p in periods if p >= first)
    return percent_of(done, total)


def current_streak(
    completed: Iterable[date], *, today: date, frequency: HabitFrequency | str
) -> int:
    """Completed periods in a row ending at the current period, or the previous one if the
    current period is not completed yet."""
    periods = _completed_periods(completed, today=today, frequency=frequency)
    step = _step(frequency)
    return _run_ending_at(periods, _period(today, step), step)


def longest_streak(
    completed: Iterable[date], *, today: date, frequency: HabitFrequency | str
) -> int:
    """The longest run of consecutive completed periods ever, up to today."""
    periods = _completed_periods(completed, today=today, frequency=frequency)
    return _longest_run(periods, _step(frequency))


def streak_after(streak_so_far: int, *, missed_periods: int) -> int:
    """Incremental form for a client that keeps a running count: completing the current
    period extends the streak only if no whole period was missed since the last completion."""
    if streak_so_far < 0 or missed_periods < 0:
        raise ValueError("streak and missed periods cannot be negative")
    return streak_so_far + 1 if missed_periods == 0 else 1


def period_count(start: date, end: date, frequency: HabitFrequency | str) -> int:
    """Number of periods from the one holding `start` through the one holding `end`."""
    step = _step(frequency)
    return _count(_period(start, step), _period(end, step), step)


def completion_rate(
    completed: Iterable[date], *, created_on: date, today: date, frequency: HabitFrequency | str
) -> float:
    """Percent of periods completed, from the creation period through the current one.

    The current period counts even if it is still open (the spec's "days since creation").
    Completions logged retroactively for days before creation are left out, so the rate
    stays within 0-100. Rounded half-up to 1 decimal.
    """
    step = _step(frequency)
    periods = _completed_periods(completed, today=today, frequency=frequency)
    first = _period(created_on, step)
    return _rate(periods, first, _count(first, _period(today, step), step))


def last_days_history(
    completed: Iterable[date], *, today: date, days: int = HISTORY_DAYS
) -> list[tuple[date, bool]]:
    """Whether each of the last `days` days (today included) had a completion, oldest first."""
    if days < 1:
        raise ValueError(f"history needs at least one day, got {days}")
    done = set(completed)
    first = today.toordinal() - days + 1  # by ordinal: a third of the time of date arithmetic
    return [(day, day in done) for day in map(date.fromordinal, range(first, first + days))]


@dataclass(frozen=True)
class HabitStats:
    """The numbers the habit screen and the HabitStats API type show for one habit (its
    day-by-day history is ``last_days_history``, asked for only where it is shown)."""

    current_streak: int
    longest_streak: int
    completion_rate: float
    total_completions: int


def habit_stats(
    completed: Iterable[date],
    *,
    created_on: date,
    today: date,
    frequency: HabitFrequency | str,
) -> HabitStats:
    """All statistics of a habit at once, from one pass over its completion days (a
    dashboard computes them for every habit it lists)."""
    days = _days_up_to(completed, today)
    step = _step(frequency)
    periods = _periods(days, step)
    current, first = _period(today, step), _period(created_on, step)
    return HabitStats(
        current_streak=_run_ending_at(periods, current, step),
        longest_streak=_longest_run(periods, step),
        completion_rate=_rate(periods, first, _count(first, current, step)),
        total_completions=len(days),
    )
