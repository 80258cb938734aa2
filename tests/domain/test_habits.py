from datetime import date

import pytest

from domain.errors import Conflict, InvalidTransition, RuleViolation
from domain.habits import (
    HabitFrequency,
    HabitStatus,
    pause,
    period_of,
    require_completable,
    resume,
    validate_completion_date,
    validate_habit_duration,
)

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize("minutes", [1, 2])
def test_one_or_two_minute_habits_are_accepted(minutes):
    validate_habit_duration(minutes)


@pytest.mark.parametrize("minutes", [0, 3, -1, 60])
def test_longer_or_empty_habits_are_refused(minutes):
    with pytest.raises(RuleViolation) as caught:
        validate_habit_duration(minutes)
    assert caught.value.field == "duration"


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        (date(2026, 11, 24), "daily", date(2026, 11, 24)),
        (date(2026, 11, 24), "weekly", date(2026, 11, 23)),
        (date(2026, 11, 29), HabitFrequency.WEEKLY, date(2026, 11, 23)),  # Sunday
        (date(2026, 11, 30), HabitFrequency.WEEKLY, date(2026, 11, 30)),  # Monday
        (date(2027, 1, 3), HabitFrequency.WEEKLY, date(2026, 12, 28)),  # across the new year
    ],
)
def test_period_of_is_the_day_or_its_iso_monday(day, frequency, expected):
    assert period_of(day, frequency) == expected


def test_unknown_frequency_is_refused_instead_of_treated_as_weekly():
    with pytest.raises(RuleViolation) as caught:
        period_of(TODAY, "monthly")
    assert caught.value.field == "frequency"


@pytest.mark.parametrize("days_back", [0, 1, 6, 7])
def test_completion_can_be_logged_up_to_7_days_back(days_back):
    validate_completion_date(date.fromordinal(TODAY.toordinal() - days_back), today=TODAY)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 11, 25), "future"),
        (date(2026, 11, 16), "7 days"),  # 8 days back
        (date(2025, 11, 24), "7 days"),
    ],
)
def test_completion_in_the_future_or_too_far_back_is_refused(day, message):
    with pytest.raises(RuleViolation, match=message) as caught:
        validate_completion_date(day, today=TODAY)
    assert caught.value.field == "date"


def test_active_habits_pause_and_paused_habits_resume():
    assert pause("active") is HabitStatus.PAUSED
    assert resume("paused") is HabitStatus.ACTIVE


@pytest.mark.parametrize("status", ["paused", "completed"])
def test_only_active_habits_pause(status):
    with pytest.raises(InvalidTransition):
        pause(status)


@pytest.mark.parametrize("status", ["active", "completed"])
def test_only_paused_habits_resume(status):
    with pytest.raises(InvalidTransition):
        resume(status)


@pytest.mark.parametrize("status", ["paused", "completed"])
def test_only_active_habits_are_completed(status):
    require_completable("active")
    with pytest.raises(Conflict, match=status):
        require_completable(status)


def test_unknown_habit_status_is_a_rule_violation():
    with pytest.raises(RuleViolation) as raised:
        pause("sleeping")
    assert raised.value.field == "status"
