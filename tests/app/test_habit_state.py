"""The habit detail state over a real device file: numbers from the domain, queued changes."""

from __future__ import annotations

import datetime as dt

import pytest

from app.state.context import UserContext
from app.state.habit import (
    HEATMAP_WEEKS,
    HabitDraft,
    archive_habit,
    edit_habit,
    load_habit,
    parse_duration,
    pause_habit,
    resume_habit,
)
from domain.clock import FixedClock
from domain.errors import InvalidTransition, RuleViolation
from domain.habit_strength import habit_strength
from domain.streaks import current_streak
from sync import Entity
from tests.app.seeding import seed_goals


def test_detail_of_a_long_habit(user: UserContext, clock: FixedClock) -> None:
    seeded = seed_goals(user.store, clock)
    model = load_habit(user, seeded.reading)
    assert model is not None
    assert model.title == "Read two pages" and model.goal_title == "Read more"
    assert (model.cue_time, model.cue_place, model.cue_context) == (
        "after breakfast",
        "on the sofa",
        "with my tea",
    )
    assert model.reward == "A square of dark chocolate"
    assert model.today == dt.date(2026, 11, 24)
    days = sorted(model.done_days)
    created = dt.date(2026, 11, 24) - dt.timedelta(days=300)
    assert model.current_streak == current_streak(days, today=model.today, frequency="daily")
    assert model.best_streak >= model.current_streak > 0
    assert model.strength == habit_strength(
        days, created_on=created, today=model.today, frequency="daily"
    )
    assert 50 < model.strength < 100
    assert [window for window, _ in model.rates] == [7, 30, 90]
    assert all(0 <= rate <= 100 for _, rate in model.rates)
    assert model.total_completions == len(days) > 200


def test_heatmap_is_a_year_of_weeks_ending_with_today(user: UserContext, clock: FixedClock) -> None:
    seeded = seed_goals(user.store, clock)
    model = load_habit(user, seeded.reading)
    assert model is not None
    weeks = model.heatmap_weeks()
    assert len(weeks) == HEATMAP_WEEKS and all(len(week) == 7 for week in weeks)
    assert all(week[0].weekday() == 0 for week in weeks)
    assert model.today in weeks[-1]


def test_a_habit_not_on_the_device_is_none(user: UserContext) -> None:
    assert load_habit(user, "no-such-habit") is None


def test_pause_resume_archive_are_queued_patches(user: UserContext, clock: FixedClock) -> None:
    seeded = seed_goals(user.store, clock)
    assert pause_habit(user, seeded.stretch)["status"] == "paused"
    with pytest.raises(InvalidTransition):
        pause_habit(user, seeded.stretch)
    assert resume_habit(user, seeded.stretch)["status"] == "active"
    assert archive_habit(user, seeded.stretch)["status"] == "completed"
    with pytest.raises(InvalidTransition):
        archive_habit(user, seeded.stretch)
    habit = user.store.get(Entity.HABIT, {"habitId": seeded.stretch})
    assert habit is not None and habit["_pending"]


def test_edit_habit_changes_cue_and_reward(user: UserContext, clock: FixedClock) -> None:
    seeded = seed_goals(user.store, clock)
    draft = HabitDraft(
        "Write two lines", frequency="daily", duration=2, cue_place="at my desk", reward="tea"
    )
    edit_habit(user, seeded.journal, draft)
    model = load_habit(user, seeded.journal)
    assert model is not None
    assert (model.title, model.cue_time, model.cue_place, model.reward) == (
        "Write two lines",
        "",
        "at my desk",
        "tea",
    )


def test_edit_breaking_the_two_minute_rule_writes_nothing(
    user: UserContext, clock: FixedClock
) -> None:
    seeded = seed_goals(user.store, clock)
    before = user.store.pending()
    with pytest.raises(RuleViolation, match="1 to 2 minutes"):
        edit_habit(user, seeded.journal, HabitDraft("Write a page", duration=15))
    assert user.store.pending() == before


def test_parse_duration() -> None:
    assert parse_duration(" 2 ") == 2
    with pytest.raises(RuleViolation):
        parse_duration("two")
