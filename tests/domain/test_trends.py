"""Mood trend and completions per week: windows, gaps and empty weeks."""

from __future__ import annotations

from datetime import date

import pytest

from domain.trends import completions_per_week, mood_trend

TODAY = date(2026, 11, 24)  # a Tuesday


def test_mood_trend_keeps_the_window_and_skips_days_without_a_mood() -> None:
    moods = [
        (date(2026, 10, 25), "AWFUL"),  # 31 days ago: outside 30 days
        (date(2026, 10, 26), "BAD"),  # the first day of the window
        (date(2026, 11, 20), "GREAT"),
        (date(2026, 11, 24), "NEUTRAL"),
        (date(2026, 11, 25), "GOOD"),  # the future
        (date(2026, 11, 21), "SLEEPY"),  # not a mood
    ]
    assert mood_trend(moods, today=TODAY, days=30) == [
        (date(2026, 10, 26), 2),
        (date(2026, 11, 20), 5),
        (date(2026, 11, 24), 3),
    ]
    assert mood_trend(moods, today=TODAY, days=90)[0] == (date(2026, 10, 25), 1)


def test_completions_per_week_counts_by_iso_week_with_empty_weeks_kept() -> None:
    done = [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 9), date(2026, 11, 30)]
    assert completions_per_week(done, today=TODAY, weeks=3) == [
        (date(2026, 11, 9), 1),
        (date(2026, 11, 16), 0),
        (date(2026, 11, 23), 2),
    ]


def test_windows_must_hold_at_least_one_day() -> None:
    with pytest.raises(ValueError):
        mood_trend([], today=TODAY, days=0)
    with pytest.raises(ValueError):
        completions_per_week([], today=TODAY, weeks=0)
