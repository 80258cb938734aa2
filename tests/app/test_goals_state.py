"""The goals state layer over a real device file: grouping, progress, and the queued changes."""

from __future__ import annotations

import pytest

from app.state.context import UserContext
from app.state.goals import (
    GoalDraft,
    archive_goal,
    complete_goal,
    create_goal,
    edit_goal,
    load_goals,
    mentor_choices,
    submit_goal,
)
from app.state.habit import HabitDraft, add_habit
from domain.clock import FixedClock
from domain.errors import InvalidTransition, RuleViolation
from domain.goals import GoalStatus
from sync import Entity
from tests.app.seeding import from_server, mentor_profile, seed_goals


def _outbox(user: UserContext) -> int:
    return user.store.pending()


def test_goals_are_grouped_by_status_with_progress(user: UserContext, clock: FixedClock) -> None:
    seeded = seed_goals(user.store, clock)
    model = load_goals(user)
    assert [g.status for g in model.groups] == [
        GoalStatus.ACTIVE,
        GoalStatus.PENDING_APPROVAL,
        GoalStatus.DRAFT,
    ]
    active = model.groups[0].goals[0]
    assert active.goal_id == seeded.active_goal
    assert [h.title for h in active.habits] == ["Read two pages", "Stretch for two minutes"]
    assert 0 < active.progress < 100
    assert all(h.pending for h in active.habits)  # nothing synced yet
    pending = model.groups[1].goals[0]
    assert pending.has_mentor and pending.mentor_name == "Marta Reis"
    draft = model.groups[2].goals[0]
    assert draft.progress == 0 and draft.can_submit and draft.submit_label == "Start this goal"


def test_no_goals_is_an_empty_model(user: UserContext) -> None:
    assert load_goals(user).empty


def test_create_goal_writes_a_draft_with_its_identity(user: UserContext) -> None:
    goal_id = create_goal(
        user, GoalDraft(" Sleep well ", identity="I want to become someone who rests")
    )
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    assert goal is not None
    assert goal["title"] == "Sleep well"
    assert goal["identity"] == "I want to become someone who rests"
    assert goal["status"] == "draft" and goal["_pending"]


def test_a_goal_needs_a_title_and_nothing_is_written(user: UserContext) -> None:
    with pytest.raises(RuleViolation):
        create_goal(user, GoalDraft("   ", identity="I want to become"))
    assert _outbox(user) == 0


def test_edit_goal_patches_its_fields(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Sleep"))
    edit_goal(user, goal_id, GoalDraft("Sleep eight hours", description="Lights out at 23:00"))
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    assert goal is not None
    assert (goal["title"], goal["description"]) == ("Sleep eight hours", "Lights out at 23:00")


def test_submit_without_mentor_activates_with_mentor_waits(user: UserContext) -> None:
    alone = create_goal(user, GoalDraft("Alone"))
    mentored = user.store.create_goal("Mentored", mentor_id="user-marta")["goalId"]
    assert submit_goal(user, alone)["status"] == "active"
    assert submit_goal(user, mentored)["status"] == "pending_approval"


def test_submit_twice_is_refused_and_writes_nothing(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Once"))
    submit_goal(user, goal_id)
    before = _outbox(user)
    with pytest.raises(InvalidTransition):
        submit_goal(user, goal_id)
    assert _outbox(user) == before


def test_complete_then_archive(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Done"))
    with pytest.raises(InvalidTransition):
        complete_goal(user, goal_id)  # a draft is not completed
    submit_goal(user, goal_id)
    assert complete_goal(user, goal_id)["status"] == "completed"
    assert archive_goal(user, goal_id)["status"] == "archived"
    with pytest.raises(InvalidTransition):
        edit_goal(user, goal_id, GoalDraft("Changed"))
    assert [g.status for g in load_goals(user).groups] == [GoalStatus.ARCHIVED]


def test_add_habit_writes_it_under_the_goal(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Calm"))
    draft = HabitDraft(
        "Breathe", frequency="daily", duration=1, cue_time="08:00", reward=" coffee "
    )
    habit = add_habit(user, goal_id, draft)
    assert habit["goalId"] == goal_id
    assert habit["cue"] == {"time": "08:00"}
    assert habit["reward"] == "coffee"
    assert [h.title for h in load_goals(user).groups[0].goals[0].habits] == ["Breathe"]


def test_the_two_minute_rule_refuses_and_writes_nothing(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Fit"))
    before = _outbox(user)
    with pytest.raises(RuleViolation, match="1 to 2 minutes, got 10"):
        add_habit(user, goal_id, HabitDraft("Run", duration=10))
    assert _outbox(user) == before
    assert user.store.query(Entity.HABIT, goalId=goal_id) == []


def test_no_habits_for_an_archived_goal(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Old"))
    archive_goal(user, goal_id)
    with pytest.raises(RuleViolation):
        add_habit(user, goal_id, HabitDraft("Late"))


def test_mentors_on_the_device_are_the_choices(user: UserContext) -> None:
    from_server(
        user.store,
        Entity.USER,
        mentor_profile("user-marta", "Marta Reis"),
        mentor_profile("user-bruno", "Bruno Alves"),
    )
    assert [(m.user_id, m.name) for m in mentor_choices(user)] == [
        ("user-bruno", "Bruno Alves"),
        ("user-marta", "Marta Reis"),
    ]


def test_a_new_mentor_sends_an_active_goal_back_for_approval(user: UserContext) -> None:
    from_server(user.store, Entity.USER, mentor_profile("user-marta", "Marta Reis"))
    goal_id = create_goal(user, GoalDraft("Alone"))
    submit_goal(user, goal_id)
    goal = edit_goal(user, goal_id, GoalDraft("Alone", mentor_id="user-marta"))
    assert (goal["mentorId"], goal["status"]) == ("user-marta", "pending_approval")
    card = load_goals(user).groups[0].goals[0]
    assert card.mentor_name == "Marta Reis"
    goal = edit_goal(user, goal_id, GoalDraft("Alone"))  # mentor removed: back to draft
    assert (goal.get("mentorId"), goal["status"]) == (None, "draft")


def test_create_with_a_mentor_then_submit_waits_for_approval(user: UserContext) -> None:
    goal_id = create_goal(user, GoalDraft("Guided", mentor_id="user-marta"))
    assert submit_goal(user, goal_id)["status"] == "pending_approval"
