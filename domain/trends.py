"""Trends a user looks back on: mood over the last weeks, habit completions per ISO week.

Pure functions of the records and the user's local today, so a chart shows the same on every
device and a test can pin any day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from domain.clock import week_start
from domain.reflections import Mood

MOOD_VALUE: dict[Mood, int] = {
    Mood.AWFUL: 1,
    Mood.BAD: 2,
    Mood.NEUTRAL: 3,
    Mood.GOOD: 4,
    Mood.GREAT: 5,
}
"""A mood on a 1-5 scale (the chart's y axis): AWFUL is 1, GREAT is 5."""


def mood_trend(
    moods: Iterable[tuple[date, object]], *, today: date, days: int
) -> list[tuple[date, int]]:
    """The (day, value) of each mood within the ``days`` days ending today, oldest first.

    Days without a reflection are left out (a gap, not a zero: no entry is not a bad day);
    unknown moods and future days are ignored.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    first = today - timedelta(days=days - 1)
    points: dict[date, int] = {}
    for day, mood in moods:
        if first <= day <= today and mood in MOOD_VALUE:
            points[day] = MOOD_VALUE[Mood(str(mood))]
    return sorted(points.items())


def completions_per_week(
    days_done: Iterable[date], *, today: date, weeks: int
) -> list[tuple[date, int]]:
    """(Monday, completions) for the ``weeks`` ISO weeks ending with today's, oldest first;
    weeks with none are there with 0 so the chart's bars keep their places."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    this_week = week_start(today)
    mondays = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts = Counter(week_start(day) for day in days_done if day <= today)
    return [(monday, counts.get(monday, 0)) for monday in mondays]
