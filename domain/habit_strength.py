"""Habit strength: a 0-100 score that grows with each completed period and fades slowly.

Modelled on Loop Habit Tracker's score. A streak breaks on one missed day; strength does
not: it is an exponentially smoothed average of the periods, so a long habit survives a
slip and a brand-new habit does not look strong after two good days.

Formula, per period (a day for daily habits, an ISO week for weekly ones), oldest first::

    score = score * m + done * (1 - m)       done = 1 if the period was completed, else 0
    m     = 0.5 ** (days_per_period * sqrt(1 / days_per_period) / 13)

For a daily habit ``m = 0.5 ** (1/13)``: a day's weight halves after 13 days (Loop's
constant). A weekly habit decays per day as Loop's "once a week" (``sqrt(1/7) / 13``),
compounded over the 7 days of a week, so a missed week costs about what Loop charges.
The score starts at 0 in the first period (the creation period, or an earlier retroactive
completion's), runs through the current period, and the current period only counts once
it is done: an open day is not a miss yet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from domain.habits import HabitFrequency, parse_frequency, period_of, period_step
from domain.rounding import round_half_up

HALF_LIFE_DAYS = 13.0
"""Loop Habit Tracker's constant: a daily habit's day loses half its weight in 13 days."""


def period_multiplier(frequency: HabitFrequency | str) -> float:
    """How much of the score one period keeps (``m`` above)."""
    days = period_step(frequency).days
    return float(0.5 ** (days * math.sqrt(1 / days) / HALF_LIFE_DAYS))


def habit_strength(
    completed: Iterable[date],
    *,
    created_on: date,
    today: date,
    frequency: HabitFrequency | str,
) -> float:
    """The habit's strength today, 0-100, rounded half-up to 1 decimal.

    ``completed``: the local days the habit was done (days after ``today`` are ignored).
    """
    kind = parse_frequency(frequency)
    current = period_of(today, kind)
    done = {period_of(day, kind) for day in completed if day <= today}
    start = min([period_of(created_on, kind), *done])
    if start > current:
        return 0.0
    multiplier = period_multiplier(kind)
    step = period_step(kind)
    score = 0.0
    period = start
    while period <= current:
        hit = period in done
        if period < current or hit:
            score = score * multiplier + (1.0 - multiplier) * hit
        period += step
    return round_half_up(score * 100, 1)
