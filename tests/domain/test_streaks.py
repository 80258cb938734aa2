from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.habits import HabitFrequency, period_of
from domain.streaks import (
    HabitStats,
    completion_rate,
    current_streak,
    habit_stats,
    last_days_history,
    longest_streak,
    period_count,
    streak_after,
)

DAILY = HabitFrequency.DAILY
WEEKLY = HabitFrequency.WEEKLY
TODAY = date(2026, 11, 24)  # Tuesday; its ISO week starts Monday 2026-11-23


def days_back(*offsets):
    return [TODAY - timedelta(days=n) for n in offsets]


# --- current streak: daily -------------------------------------------------------------


def test_no_completions_means_no_streak():
    assert current_streak([], today=TODAY, frequency=DAILY) == 0
    assert longest_streak([], today=TODAY, frequency=DAILY) == 0


def test_daily_streak_counts_consecutive_days_ending_today():
    assert current_streak(days_back(0, 1, 2), today=TODAY, frequency=DAILY) == 3


def test_today_not_done_yet_keeps_the_streak_ending_yesterday():
    assert current_streak(days_back(1, 2, 3), today=TODAY, frequency=DAILY) == 3


def test_a_fully_missed_day_breaks_the_streak():
    assert current_streak(days_back(2, 3, 4), today=TODAY, frequency=DAILY) == 0


def test_streak_stops_at_the_first_gap():
    assert current_streak(days_back(0, 1, 3, 4, 5), today=TODAY, frequency=DAILY) == 2


def test_duplicate_dates_count_once():
    assert current_streak(days_back(0, 0, 1, 1), today=TODAY, frequency=DAILY) == 2


def test_future_dates_from_clock_skew_are_ignored():
    completed = [*days_back(0, 1), TODAY + timedelta(days=1)]
    assert current_streak(completed, today=TODAY, frequency=DAILY) == 2
    assert longest_streak(completed, today=TODAY, frequency=DAILY) == 2


# --- current streak: weekly ------------------------------------------------------------


def test_weekly_streak_counts_iso_weeks_and_several_completions_in_a_week_once():
    completed = [
        date(2026, 11, 23),  # this week (Mon)
        date(2026, 11, 24),  # this week again
        date(2026, 11, 22),  # last week (Sun)
        date(2026, 11, 10),  # two weeks ago
    ]
    assert current_streak(completed, today=TODAY, frequency=WEEKLY) == 3


def test_weekly_streak_survives_until_the_current_week_is_over():
    completed = [date(2026, 11, 16), date(2026, 11, 9)]  # last week and the one before
    assert current_streak(completed, today=date(2026, 11, 29), frequency=WEEKLY) == 2  # Sunday
    assert current_streak(completed, today=date(2026, 11, 30), frequency=WEEKLY) == 0  # Monday


def test_sunday_and_the_next_monday_are_different_weeks():
    completed = [date(2026, 11, 29), date(2026, 11, 30)]  # Sunday, Monday
    assert current_streak(completed, today=date(2026, 11, 30), frequency=WEEKLY) == 2
    assert current_streak(completed, today=date(2026, 11, 30), frequency=DAILY) == 2


def test_weekly_streak_runs_across_the_year_boundary():
    completed = [
        date(2026, 12, 20),  # week of Mon 2026-12-14
        date(2026, 12, 23),  # week of Mon 2026-12-21
        date(2027, 1, 1),  # week of Mon 2026-12-28 (ISO week 53 of 2026)
        date(2027, 1, 6),  # week of Mon 2027-01-04 (ISO week 1 of 2027)
    ]
    assert current_streak(completed, today=date(2027, 1, 7), frequency=WEEKLY) == 4
    assert longest_streak(completed, today=date(2027, 1, 7), frequency=WEEKLY) == 4


def test_daily_streak_runs_across_the_year_boundary():
    completed = [date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]
    assert current_streak(completed, today=date(2027, 1, 2), frequency=DAILY) == 3


# --- longest streak --------------------------------------------------------------------


def test_longest_streak_finds_the_best_run_in_the_past():
    completed = days_back(0, 1, 5, 6, 7, 8, 20)
    assert longest_streak(completed, today=TODAY, frequency=DAILY) == 4
    assert current_streak(completed, today=TODAY, frequency=DAILY) == 2


def test_longest_streak_of_weekly_habit_counts_weeks():
    completed = [date(2026, 11, 2), date(2026, 11, 8), date(2026, 11, 12), date(2026, 11, 24)]
    # weeks of Nov 2 (twice), Nov 9, and Nov 23: the run Nov 2-9 is 2 weeks
    assert longest_streak(completed, today=TODAY, frequency=WEEKLY) == 2


# --- incremental form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("streak_so_far", "missed", "expected"), [(0, 0, 1), (5, 0, 6), (5, 1, 1), (5, 3, 1)]
)
def test_streak_after_extends_or_restarts(streak_so_far, missed, expected):
    assert streak_after(streak_so_far, missed_periods=missed) == expected


def test_streak_after_refuses_negative_counts():
    with pytest.raises(ValueError):
        streak_after(-1, missed_periods=0)


# --- completion rate -------------------------------------------------------------------


def test_completion_rate_on_the_creation_day_is_100_if_completed():
    assert completion_rate([TODAY], created_on=TODAY, today=TODAY, frequency=DAILY) == 100.0


def test_completion_rate_on_the_creation_day_is_0_if_not_completed():
    assert completion_rate([], created_on=TODAY, today=TODAY, frequency=DAILY) == 0.0


def test_completion_rate_counts_the_creation_day_through_today():
    created = TODAY - timedelta(days=2)  # 3 days in all
    assert completion_rate(days_back(0, 2), created_on=created, today=TODAY, frequency=DAILY) == (
        66.7
    )


def test_completion_rate_ignores_retroactive_completions_before_creation():
    completed = days_back(0, 1, 3)  # 3 days back is before creation
    created = TODAY - timedelta(days=1)
    assert completion_rate(completed, created_on=created, today=TODAY, frequency=DAILY) == 100.0


def test_weekly_completion_rate_counts_weeks():
    created = date(2026, 11, 12)  # Thursday of the week of Nov 9 -> weeks Nov 9, 16, 23
    completed = [date(2026, 11, 13), date(2026, 11, 14), date(2026, 11, 24)]
    assert completion_rate(completed, created_on=created, today=TODAY, frequency=WEEKLY) == 66.7


def test_completion_rate_before_creation_is_zero():
    assert (
        completion_rate([TODAY], created_on=TODAY + timedelta(days=1), today=TODAY, frequency=DAILY)
        == 0.0
    )


@pytest.mark.parametrize(
    ("start", "end", "frequency", "expected"),
    [
        (TODAY, TODAY, DAILY, 1),
        (TODAY - timedelta(days=29), TODAY, DAILY, 30),
        (date(2026, 11, 29), date(2026, 11, 30), WEEKLY, 2),  # Sunday to Monday
        (date(2026, 11, 23), date(2026, 11, 29), WEEKLY, 1),  # Monday to Sunday
        (TODAY, TODAY - timedelta(days=1), DAILY, 0),
    ],
)
def test_period_count_is_inclusive(start, end, frequency, expected):
    assert period_count(start, end, frequency) == expected


# --- history and stats -----------------------------------------------------------------


def test_history_lists_the_last_days_oldest_first():
    history = last_days_history(days_back(0, 2), today=TODAY, days=3)
    assert history == [
        (TODAY - timedelta(days=2), True),
        (TODAY - timedelta(days=1), False),
        (TODAY, True),
    ]


def test_history_defaults_to_30_days_ending_today():
    history = last_days_history([], today=TODAY)
    assert len(history) == 30
    assert history[0][0] == TODAY - timedelta(days=29)
    assert history[-1] == (TODAY, False)


def test_history_needs_at_least_one_day():
    with pytest.raises(ValueError):
        last_days_history([], today=TODAY, days=0)


def test_habit_stats_puts_everything_together():
    completed = [*days_back(0, 1, 2, 5, 6, 7, 8, 9), TODAY + timedelta(days=3)]
    stats = habit_stats(
        completed,
        created_on=TODAY - timedelta(days=9),
        today=TODAY,
        frequency=DAILY,
    )
    assert stats == HabitStats(
        current_streak=3, longest_streak=5, completion_rate=80.0, total_completions=8
    )


@given(
    completed=st.lists(st.integers(min_value=-5, max_value=120), max_size=60).map(
        lambda offsets: [TODAY - timedelta(days=n) for n in offsets]
    ),
    frequency=st.sampled_from([DAILY, WEEKLY]),
    created_back=st.integers(-3, 120),
)
def test_habit_stats_in_one_pass_agree_with_each_rule(completed, frequency, created_back):
    created = TODAY - timedelta(days=created_back)
    stats = habit_stats(completed, created_on=created, today=TODAY, frequency=frequency)
    assert stats == HabitStats(
        current_streak=current_streak(completed, today=TODAY, frequency=frequency),
        longest_streak=longest_streak(completed, today=TODAY, frequency=frequency),
        completion_rate=completion_rate(
            completed, created_on=created, today=TODAY, frequency=frequency
        ),
        total_completions=len({day for day in completed if day <= TODAY}),
    )


# --- properties ------------------------------------------------------------------------

frequencies = st.sampled_from([DAILY, WEEKLY])
completion_days = st.lists(st.integers(min_value=-5, max_value=120), max_size=60).map(
    lambda offsets: [TODAY - timedelta(days=n) for n in offsets]
)


@given(completed=completion_days, frequency=frequencies)
def test_current_never_exceeds_longest_which_never_exceeds_distinct_periods(completed, frequency):
    current = current_streak(completed, today=TODAY, frequency=frequency)
    longest = longest_streak(completed, today=TODAY, frequency=frequency)
    periods = {period_of(day, frequency) for day in completed if day <= TODAY}
    assert 0 <= current <= longest <= len(periods)
    assert (longest == 0) == (not periods)


@given(completed=completion_days, frequency=frequencies)
def test_completing_the_current_period_extends_the_streak_by_one(completed, frequency):
    this_period = period_of(TODAY, frequency)
    without_now = [day for day in completed if period_of(day, frequency) != this_period]
    before = current_streak(without_now, today=TODAY, frequency=frequency)
    after = current_streak([*without_now, TODAY], today=TODAY, frequency=frequency)
    assert after == before + 1


@given(completed=completion_days, frequency=frequencies, created_back=st.integers(0, 120))
def test_completion_rate_stays_within_0_and_100(completed, frequency, created_back):
    created = TODAY - timedelta(days=created_back)
    rate = completion_rate(completed, created_on=created, today=TODAY, frequency=frequency)
    assert 0.0 <= rate <= 100.0
    every_period = [created + timedelta(days=n) for n in range(created_back + 1)]
    assert (
        completion_rate(every_period, created_on=created, today=TODAY, frequency=frequency) == 100.0
    )


@given(completed=completion_days, frequency=frequencies)
def test_order_and_duplicates_do_not_change_streaks(completed, frequency):
    shuffled = sorted(completed, reverse=True) + completed
    for streak in (current_streak, longest_streak):
        assert streak(shuffled, today=TODAY, frequency=frequency) == streak(
            completed, today=TODAY, frequency=frequency
        )


@given(day=st.dates())
def test_a_weeks_monday_by_ordinal_is_the_calendars_monday(day):
    from domain.clock import week_start
    from domain.streaks import _monday

    assert date.fromordinal(_monday(day.toordinal())) == week_start(day)
