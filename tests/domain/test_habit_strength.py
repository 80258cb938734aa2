from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import RuleViolation
from domain.habit_strength import habit_strength, period_multiplier
from domain.habits import HabitFrequency
from domain.streaks import current_streak

DAILY = HabitFrequency.DAILY
WEEKLY = HabitFrequency.WEEKLY
TODAY = date(2026, 11, 24)  # Tuesday; its ISO week starts Monday 2026-11-23


def run_of(days: int, *, ending: date) -> list[date]:
    return [ending - timedelta(days=n) for n in range(days)]


def test_daily_multiplier_halves_a_day_in_13_days() -> None:
    assert period_multiplier(DAILY) ** 13 == pytest.approx(0.5)


def test_weekly_multiplier_is_loops_once_a_week_over_seven_days() -> None:
    per_day = 0.5 ** ((1 / 7) ** 0.5 / 13)
    assert period_multiplier(WEEKLY) == pytest.approx(per_day**7)


def test_nothing_done_is_zero() -> None:
    created = TODAY - timedelta(days=40)
    assert habit_strength([], created_on=created, today=TODAY, frequency=DAILY) == 0.0


def test_one_day_on_a_new_habit_is_weak() -> None:
    # 1 - 0.5 ** (1/13) = 5.2 %
    assert habit_strength([TODAY], created_on=TODAY, today=TODAY, frequency=DAILY) == 5.2


def test_thirty_days_in_a_row() -> None:
    # 1 - 0.5 ** (30/13) = 79.8 %
    days = run_of(30, ending=TODAY)
    assert habit_strength(days, created_on=days[-1], today=TODAY, frequency=DAILY) == 79.8


def test_one_missed_day_does_not_zero_a_long_habit() -> None:
    yesterday = TODAY - timedelta(days=1)
    days = run_of(200, ending=TODAY - timedelta(days=2))  # yesterday missed, today still open
    created = days[-1]
    before = habit_strength(days, created_on=created, today=yesterday, frequency=DAILY)
    after = habit_strength(days, created_on=created, today=TODAY, frequency=DAILY)
    assert current_streak(days, today=TODAY, frequency=DAILY) == 0
    assert before == 100.0
    assert after == 94.8  # 0.5 ** (1/13) of the score survives a miss


def test_an_open_day_is_not_a_miss() -> None:
    days = run_of(10, ending=TODAY - timedelta(days=1))
    open_today = habit_strength(days, created_on=days[-1], today=TODAY, frequency=DAILY)
    as_of_yesterday = habit_strength(
        days, created_on=days[-1], today=TODAY - timedelta(days=1), frequency=DAILY
    )
    ticked_today = habit_strength([*days, TODAY], created_on=days[-1], today=TODAY, frequency=DAILY)
    assert open_today == as_of_yesterday
    assert ticked_today > open_today


def test_future_days_are_ignored() -> None:
    future = [TODAY + timedelta(days=n) for n in range(1, 5)]
    assert habit_strength(future, created_on=TODAY, today=TODAY, frequency=DAILY) == 0.0


def test_retroactive_completion_before_creation_counts() -> None:
    before_creation = TODAY - timedelta(days=3)
    with_it = habit_strength([before_creation], created_on=TODAY, today=TODAY, frequency=DAILY)
    assert with_it > 0.0


def test_weekly_counts_a_week_once() -> None:
    monday = date(2026, 11, 16)
    once = habit_strength([monday], created_on=monday, today=TODAY, frequency=WEEKLY)
    thrice = habit_strength(
        [monday, monday + timedelta(days=2), monday + timedelta(days=4)],
        created_on=monday,
        today=TODAY,
        frequency=WEEKLY,
    )
    assert once == thrice == pytest.approx((1 - period_multiplier(WEEKLY)) * 100, abs=0.05)


def test_weekly_ten_weeks_in_a_row() -> None:
    weeks = [TODAY - timedelta(weeks=n) for n in range(10)]
    score = habit_strength(weeks, created_on=weeks[-1], today=TODAY, frequency=WEEKLY)
    assert score == pytest.approx((1 - period_multiplier(WEEKLY) ** 10) * 100, abs=0.05)


def test_unknown_frequency_is_refused() -> None:
    with pytest.raises(RuleViolation):
        habit_strength([TODAY], created_on=TODAY, today=TODAY, frequency="monthly")


@given(st.sets(st.integers(min_value=0, max_value=400), max_size=120))
def test_score_stays_between_0_and_100_and_never_drops_with_a_tick(offsets: set[int]) -> None:
    created = TODAY - timedelta(days=400)
    days = [TODAY - timedelta(days=n) for n in offsets if n > 0]
    score = habit_strength(days, created_on=created, today=TODAY, frequency=DAILY)
    assert 0.0 <= score <= 100.0
    assert habit_strength([*days, TODAY], created_on=created, today=TODAY, frequency=DAILY) >= score
