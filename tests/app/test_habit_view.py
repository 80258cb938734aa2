"""The habit detail screen with no client: numbers, heatmap, not-found, and its changes."""

from __future__ import annotations

import flet as ft
import flet.canvas as cv

from app.state.context import ScreenContext, UserContext
from app.state.habit import HEATMAP_WEEKS, load_habit
from app.state.reminders import all_reminders, habits_off
from app.views.habit import DONE, HabitScreen
from domain.clock import FixedClock
from sync import Entity
from tests.app.flet_page import FakePage
from tests.app.seeding import SeededGoals, seed_goals


async def _open(fake_page: FakePage, screen: ScreenContext, habit_id: str) -> None:
    fake_page.render(lambda: HabitScreen(screen, habit_id))
    await fake_page.settle()


async def _seeded(fake_page: FakePage, screen: ScreenContext, clock: FixedClock) -> SeededGoals:
    """The seeded device, showing the habit with ten months of history."""
    seeded = seed_goals(screen.user.store, clock)
    await _open(fake_page, screen, seeded.reading)
    return seeded


def _status(user: UserContext, habit_id: str) -> object:
    habit = user.store.get(Entity.HABIT, {"habitId": habit_id})
    assert habit is not None
    return habit["status"]


async def test_shows_cue_numbers_and_a_year_heatmap(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    model = load_habit(user, seeded.reading)
    assert model is not None
    texts = fake_page.texts()
    for shown in (
        "Read two pages",
        "after breakfast",
        "on the sofa",
        "with my tea",
        "A square of dark chocolate",
        f"{model.current_streak} days",
        f"{model.best_streak} days",
        f"{model.strength:.0f}%",
        "7 days",
        "30 days",
        "90 days",
        f"{model.total_completions} completions in all",
    ):
        assert shown in texts, shown
    (canvas,) = fake_page.find(lambda c: isinstance(c, cv.Canvas))
    squares = [shape for shape in canvas.shapes if isinstance(shape, cv.Rect)]
    days_so_far = (HEATMAP_WEEKS - 1) * 7 + model.today.weekday() + 1  # no square after today
    assert len(squares) == days_so_far
    assert len([s for s in squares if s.paint.color == DONE]) == model.total_completions
    months = [shape.value for shape in canvas.shapes if isinstance(shape, cv.Text)]
    assert months[-3:] == ["Sep", "Oct", "Nov"] and "Jan" in months


async def test_a_habit_without_cue_says_how_to_add_one(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = seed_goals(screen.user.store, clock)
    await _open(fake_page, screen, seeded.stretch)
    assert any(t.startswith("No cue yet") for t in fake_page.texts())


async def test_not_found_offers_a_way_back(fake_page: FakePage, user: UserContext) -> None:
    routes: list[str] = []
    await _open(fake_page, ScreenContext(user=user, navigate=routes.append), "missing")
    assert "Habit not found" in fake_page.texts()
    await fake_page.click(fake_page.by_id("habit-back"))
    assert routes == ["/goals"]


async def test_pause_then_resume(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id("habit-pause"))
    assert _status(user, seeded.reading) == "paused"
    assert "Paused" in fake_page.texts()
    await fake_page.click(fake_page.by_id("habit-resume"))
    assert _status(user, seeded.reading) == "active"
    assert "Paused" not in fake_page.texts()


async def test_archive_asks_first(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id("habit-archive"))
    await fake_page.click(fake_page.by_id("habit-archive-cancel"))
    assert _status(user, seeded.reading) == "active"
    await fake_page.click(fake_page.by_id("habit-archive"))
    await fake_page.click(fake_page.by_id("habit-archive-confirm"))
    assert _status(user, seeded.reading) == "completed"
    assert "Archived" in fake_page.texts()
    assert not fake_page.find(
        lambda c: isinstance(c, ft.Semantics) and c.identifier == "habit-pause"
    )


async def test_edit_cue_and_reward(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id("habit-edit"))
    await fake_page.type_into(fake_page.by_id("habit-cue-place"), "in the garden")
    await fake_page.type_into(fake_page.by_id("habit-reward"), "")
    await fake_page.click(fake_page.by_id("habit-save"))
    habit = user.store.get(Entity.HABIT, {"habitId": seeded.reading})
    assert habit is not None
    assert habit["cue"] == {
        "time": "after breakfast",
        "place": "in the garden",
        "context": "with my tea",
    }
    assert habit["reward"] == ""
    assert "in the garden" in fake_page.texts()


async def test_edit_breaking_the_two_minute_rule_shows_why_and_writes_nothing(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    await _seeded(fake_page, screen, clock)
    before = user.store.pending()
    await fake_page.click(fake_page.by_id("habit-edit"))
    await fake_page.type_into(fake_page.by_id("habit-duration"), "5")
    await fake_page.click(fake_page.by_id("habit-save"))
    duration = fake_page.find(lambda c: isinstance(c, ft.TextField) and c.label == "Minutes")[0]
    assert duration.error == "A habit takes 1 to 2 minutes, got 5"
    assert user.store.pending() == before


async def test_the_reminder_switch_turns_this_habits_reminder_off_and_on(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    switch = fake_page.by_id("habit-reminder")
    assert switch.toggled is True and switch.label == "Remind me at your default time (Profile)"
    assert any(r.item_id == seeded.reading for r in all_reminders(user))
    await fake_page.fire(switch, "change", value=False)
    assert habits_off(user) == {seeded.reading}
    assert not any(r.item_id == seeded.reading for r in all_reminders(user))
    assert fake_page.by_id("habit-reminder").toggled is False
    await fake_page.fire(fake_page.by_id("habit-reminder"), "change", value=True)
    assert habits_off(user) == frozenset()
