"""The Goals screen with no client: it renders from a seeded device file and each control
writes the right local change."""

from __future__ import annotations

import flet as ft

from app.state.context import ScreenContext, UserContext
from app.views.goals import GoalsScreen
from domain.clock import FixedClock
from sync import Entity
from tests.app.flet_page import FakePage
from tests.app.seeding import SeededGoals, from_server, mentor_profile, seed_goals


async def _open(fake_page: FakePage, screen: ScreenContext) -> None:
    fake_page.render(lambda: GoalsScreen(screen))
    await fake_page.settle()


async def _seeded(fake_page: FakePage, screen: ScreenContext, clock: FixedClock) -> SeededGoals:
    seeded = seed_goals(screen.user.store, clock)
    await _open(fake_page, screen)
    return seeded


def _goal(user: UserContext, goal_id: str) -> dict[str, object]:
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    assert goal is not None
    return goal


async def test_renders_goals_by_status_with_habits(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    texts = fake_page.texts()
    for heading in ("Active · 1", "Waiting for approval · 1", "Drafts · 1"):
        assert heading in texts
    assert "I want to become a reader who opens a book every day" in texts
    assert any(t.startswith("Waiting for Marta Reis's approval") for t in texts)
    assert fake_page.by_id(f"habit-open-{seeded.reading}").label == "Open habit Read two pages"
    assert fake_page.find(lambda c: isinstance(c, ft.Semantics) and c.label == "Not synced yet")


async def test_empty_state_invites_a_first_goal(fake_page: FakePage, screen: ScreenContext) -> None:
    await _open(fake_page, screen)
    assert "No goals yet" in fake_page.texts()


async def test_habit_row_opens_the_habit(
    fake_page: FakePage, user: UserContext, clock: FixedClock
) -> None:
    routes: list[str] = []
    screen = ScreenContext(user=user, navigate=routes.append)
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"habit-open-{seeded.reading}"))
    assert routes == [f"/habits/{seeded.reading}"]


async def test_new_goal_with_identity(
    fake_page: FakePage, user: UserContext, screen: ScreenContext
) -> None:
    await _open(fake_page, screen)
    await fake_page.click(fake_page.by_id("goal-new"))
    await fake_page.type_into(fake_page.by_id("goal-title"), "Cook at home")
    await fake_page.type_into(
        fake_page.by_id("goal-identity"), "I want to become someone who cooks for friends"
    )
    await fake_page.click(fake_page.by_id("goal-save"))
    goals = user.store.query(Entity.GOAL, userId=user.user_id)
    assert [(g["title"], g["identity"], g["status"]) for g in goals] == [
        ("Cook at home", "I want to become someone who cooks for friends", "draft")
    ]
    assert "Drafts · 1" in fake_page.texts()


async def test_a_goal_without_title_is_refused_inline(
    fake_page: FakePage, user: UserContext, screen: ScreenContext
) -> None:
    await _open(fake_page, screen)
    await fake_page.click(fake_page.by_id("goal-new"))
    await fake_page.click(fake_page.by_id("goal-save"))
    title = fake_page.find(lambda c: isinstance(c, ft.TextField) and c.label == "Goal")[0]
    assert title.error == "Must not be empty"
    assert user.store.query(Entity.GOAL) == []


async def test_edit_goal(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"goal-edit-{seeded.draft_goal}"))
    await fake_page.type_into(fake_page.by_id("goal-title"), "Keep a journal")
    await fake_page.click(fake_page.by_id("goal-save"))
    assert _goal(user, seeded.draft_goal)["title"] == "Keep a journal"
    assert "Keep a journal" in fake_page.texts()


async def test_add_habit_with_cue_and_reward(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"goal-add-habit-{seeded.draft_goal}"))
    await fake_page.type_into(fake_page.by_id("habit-title"), "Note one good thing")
    await fake_page.type_into(fake_page.by_id("habit-duration"), "1")
    await fake_page.type_into(fake_page.by_id("habit-cue-time"), "after dinner")
    await fake_page.type_into(fake_page.by_id("habit-reward"), "a cup of tea")
    await fake_page.click(fake_page.by_id("habit-save"))
    titles = {h["title"]: h for h in user.store.query(Entity.HABIT, goalId=seeded.draft_goal)}
    added = titles["Note one good thing"]
    assert (added["duration"], added["cue"], added["reward"]) == (
        1,
        {"time": "after dinner"},
        "a cup of tea",
    )
    assert "Note one good thing" in fake_page.texts()


async def test_two_minute_rule_message_shows_inline_and_nothing_is_written(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    before = user.store.pending()
    await fake_page.click(fake_page.by_id(f"goal-add-habit-{seeded.draft_goal}"))
    await fake_page.type_into(fake_page.by_id("habit-title"), "Run 5 km")
    await fake_page.type_into(fake_page.by_id("habit-duration"), "30")
    await fake_page.click(fake_page.by_id("habit-save"))
    duration = fake_page.find(lambda c: isinstance(c, ft.TextField) and c.label == "Minutes")[0]
    assert duration.error == "A habit takes 1 to 2 minutes, got 30"
    assert user.store.pending() == before
    assert "Run 5 km" not in [h["title"] for h in user.store.query(Entity.HABIT)]


async def test_start_a_goal_without_mentor(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    messages: list[str] = []
    screen = ScreenContext(user=user, notify=messages.append)
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"goal-submit-{seeded.draft_goal}"))
    assert _goal(user, seeded.draft_goal)["status"] == "active"
    assert messages == ["Goal started"]
    assert "Active · 2" in fake_page.texts()


async def test_complete_a_goal(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"goal-complete-{seeded.active_goal}"))
    assert _goal(user, seeded.active_goal)["status"] == "completed"
    assert "Completed · 1" in fake_page.texts()


async def test_archive_asks_first_then_archives(
    fake_page: FakePage, user: UserContext, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"goal-archive-{seeded.pending_goal}"))
    assert _goal(user, seeded.pending_goal)["status"] == "pending_approval"
    await fake_page.click(fake_page.by_id(f"goal-archive-cancel-{seeded.pending_goal}"))
    await fake_page.click(fake_page.by_id(f"goal-archive-{seeded.pending_goal}"))
    await fake_page.click(fake_page.by_id(f"goal-archive-confirm-{seeded.pending_goal}"))
    assert _goal(user, seeded.pending_goal)["status"] == "archived"
    assert "Archived · 1" in fake_page.texts()
    # an archived goal offers no more changes
    assert not fake_page.find(
        lambda c: (
            isinstance(c, ft.Semantics)
            and str(c.identifier or "").endswith(seeded.pending_goal)
            and str(c.identifier).startswith("goal-")
        )
    )


async def test_one_form_at_a_time(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    seeded = await _seeded(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id(f"goal-add-habit-{seeded.draft_goal}"))
    fake_page.by_id("habit-title")
    await fake_page.click(fake_page.by_id(f"goal-edit-{seeded.active_goal}"))
    fake_page.by_id("goal-title")
    assert not fake_page.find(
        lambda c: isinstance(c, ft.Semantics) and c.identifier == "habit-title"
    )
    await fake_page.click(fake_page.by_id("goal-cancel"))
    assert not fake_page.find(
        lambda c: isinstance(c, ft.Semantics) and c.identifier == "goal-title"
    )


async def test_pick_a_mentor_for_a_new_goal(
    fake_page: FakePage, user: UserContext, screen: ScreenContext
) -> None:
    from_server(user.store, Entity.USER, mentor_profile("user-marta", "Marta Reis"))
    await _open(fake_page, screen)
    await fake_page.click(fake_page.by_id("goal-new"))
    await fake_page.type_into(fake_page.by_id("goal-title"), "Run a 10k")
    await fake_page.select(fake_page.by_id("goal-mentor"), "user-marta")
    await fake_page.click(fake_page.by_id("goal-save"))
    (goal,) = user.store.query(Entity.GOAL)
    assert goal["mentorId"] == "user-marta"
    await fake_page.click(fake_page.by_id(f"goal-submit-{goal['goalId']}"))
    assert _goal(user, str(goal["goalId"]))["status"] == "pending_approval"
    assert "Waiting for Marta Reis's approval; it starts when they approve." in fake_page.texts()
