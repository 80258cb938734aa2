import pytest

from domain.errors import InvalidTransition, NotAllowed, RuleViolation
from domain.goals import (
    GoalStatus,
    activate_without_mentor,
    approve,
    archive,
    complete,
    goal_progress,
    goal_transition,
    send_back,
    status_after_mentor_change,
    submit_for_approval,
)

OWNER = {"actor_is_owner": True, "actor_is_assigned_mentor": False}
MENTOR = {"actor_is_owner": False, "actor_is_assigned_mentor": True}
STRANGER = {"actor_is_owner": False, "actor_is_assigned_mentor": False}


def test_draft_with_mentor_waits_for_approval():
    assert submit_for_approval("draft", has_mentor=True) is GoalStatus.PENDING_APPROVAL


def test_draft_without_mentor_becomes_active_directly():
    assert submit_for_approval("draft", has_mentor=False) is GoalStatus.ACTIVE
    assert activate_without_mentor("draft", has_mentor=False) is GoalStatus.ACTIVE


def test_goal_with_mentor_cannot_skip_approval():
    with pytest.raises(InvalidTransition, match="approval"):
        activate_without_mentor("draft", has_mentor=True)


def test_assigned_mentor_approves_a_pending_goal():
    assert approve("pending_approval", actor_is_assigned_mentor=True) is GoalStatus.ACTIVE


def test_only_the_assigned_mentor_approves():
    with pytest.raises(NotAllowed):
        approve("pending_approval", actor_is_assigned_mentor=False)
    with pytest.raises(NotAllowed):  # the owner cannot approve their own goal either
        goal_transition("pending_approval", "active", has_mentor=True, **OWNER)


@pytest.mark.parametrize("status", ["draft", "active", "completed", "archived"])
def test_approve_needs_a_pending_goal(status):
    with pytest.raises(InvalidTransition):
        approve(status, actor_is_assigned_mentor=True)


def test_submitting_for_approval_needs_a_mentor():
    with pytest.raises(InvalidTransition, match="no mentor"):
        goal_transition("draft", "pending_approval", has_mentor=False, **OWNER)


def test_owner_completes_an_active_goal():
    assert complete("active") is GoalStatus.COMPLETED


@pytest.mark.parametrize("status", ["draft", "pending_approval", "completed", "archived"])
def test_only_active_goals_complete(status):
    with pytest.raises(InvalidTransition):
        complete(status)


@pytest.mark.parametrize("status", ["draft", "pending_approval", "active", "completed"])
def test_any_goal_not_yet_archived_can_be_archived(status):
    assert archive(status) is GoalStatus.ARCHIVED


@pytest.mark.parametrize("target", list(GoalStatus))
def test_archived_goals_never_change(target):
    with pytest.raises(InvalidTransition) as caught:
        goal_transition("archived", target, has_mentor=True, **OWNER)
    assert caught.value.current == "archived"


def test_mentor_cannot_archive_or_complete_the_mentees_goal():
    with pytest.raises(NotAllowed):
        goal_transition("active", "archived", has_mentor=True, **MENTOR)
    with pytest.raises(NotAllowed):
        goal_transition("active", "completed", has_mentor=True, **MENTOR)


def test_strangers_are_refused_before_the_state_is_checked():
    with pytest.raises(NotAllowed):
        goal_transition("archived", "active", has_mentor=False, **STRANGER)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("active", "draft"),
        ("completed", "active"),
        ("active", "pending_approval"),
        ("draft", "completed"),
        ("draft", "draft"),
    ],
)
def test_moves_backwards_or_skipping_steps_are_invalid(current, target):
    with pytest.raises(InvalidTransition):
        goal_transition(current, target, has_mentor=False, **OWNER)


def test_unknown_goal_status_is_a_rule_violation():
    with pytest.raises(RuleViolation) as caught:
        goal_transition("deleted", "archived", has_mentor=False, **OWNER)
    assert caught.value.field == "status"


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        ([], 0),
        ([100.0], 100),
        ([0.0, 0.0], 0),
        ([50.0, 100.0], 75),
        ([33.3, 33.3, 33.4], 33),
        ([0.5, 0.5], 1),  # 0.5 rounds half-up
        ([66.7, 66.6], 67),
    ],
)
def test_goal_progress_is_the_rounded_mean_of_habit_rates(rates, expected):
    assert goal_progress(rates) == expected


@pytest.mark.parametrize("rates", [[101.0], [-0.1, 50.0]])
def test_goal_progress_refuses_rates_outside_0_to_100(rates):
    with pytest.raises(ValueError):
        goal_progress(rates)


@pytest.mark.parametrize(
    ("status", "old", "new", "expected"),
    [
        ("active", "m1", "m2", "pending_approval"),  # a new mentor must approve again
        ("active", None, "m1", "pending_approval"),
        ("active", "m1", None, "active"),  # no mentor left to approve
        ("active", "m1", "m1", "active"),  # unchanged
        ("pending_approval", "m1", "m2", "pending_approval"),
        ("pending_approval", "m1", None, "draft"),
        ("draft", None, "m1", "draft"),
        ("draft", "m1", None, "draft"),
        ("completed", "m1", "m2", "completed"),
    ],
)
def test_status_after_mentor_change(status, old, new, expected):
    assert status_after_mentor_change(status, old_mentor_id=old, new_mentor_id=new) == expected


def test_archived_goals_keep_their_mentor():
    with pytest.raises(InvalidTransition, match="archived"):
        status_after_mentor_change("archived", old_mentor_id="m1", new_mentor_id="m2")


def test_the_assigned_mentor_sends_a_pending_goal_back_to_draft_with_a_note():
    assert send_back(
        "pending_approval", "  Make it measurable ", actor_is_assigned_mentor=True
    ) == (
        GoalStatus.DRAFT,
        "Make it measurable",
    )
    with pytest.raises(RuleViolation):
        send_back("pending_approval", "   ", actor_is_assigned_mentor=True)
    with pytest.raises(NotAllowed):
        send_back("pending_approval", "no", actor_is_assigned_mentor=False)
    with pytest.raises(InvalidTransition):
        send_back("active", "too late", actor_is_assigned_mentor=True)
