"""Identity goal lifecycle and progress.

Goal status machine (anything else is an InvalidTransition)::

    draft ──submit, mentor set (owner)──> pending_approval ──approve (assigned mentor)──> active
      └────submit, no mentor (owner)───────────────────────────────────────────────────> active
    active ──complete (owner)──> completed
    draft | pending_approval | active | completed ──archive (owner)──> archived (final)

Goals are archived, never deleted, so their history stays; an archived goal never changes.
A goal with a mentor only becomes active through that mentor's approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum

from domain.choices import parse_choice
from domain.errors import InvalidTransition, NotAllowed
from domain.rounding import round_half_up_int, to_decimal
from domain.text import require_text

MAX_RETURN_NOTE = 2_000
"""A mentor's note on a goal sent back: a few sentences, not an essay."""


class GoalStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class _Who(Enum):
    OWNER = "the goal's owner"
    ASSIGNED_MENTOR = "the assigned mentor"


@dataclass(frozen=True)
class _Move:
    who: _Who
    needs_mentor: bool | None = None  # None: either way; True/False: mentor must (not) be set


_MOVES: dict[tuple[GoalStatus, GoalStatus], _Move] = {
    (GoalStatus.DRAFT, GoalStatus.PENDING_APPROVAL): _Move(_Who.OWNER, needs_mentor=True),
    (GoalStatus.DRAFT, GoalStatus.ACTIVE): _Move(_Who.OWNER, needs_mentor=False),
    (GoalStatus.PENDING_APPROVAL, GoalStatus.ACTIVE): _Move(_Who.ASSIGNED_MENTOR),
    (GoalStatus.PENDING_APPROVAL, GoalStatus.DRAFT): _Move(_Who.ASSIGNED_MENTOR),
    (GoalStatus.ACTIVE, GoalStatus.COMPLETED): _Move(_Who.OWNER),
    (GoalStatus.DRAFT, GoalStatus.ARCHIVED): _Move(_Who.OWNER),
    (GoalStatus.PENDING_APPROVAL, GoalStatus.ARCHIVED): _Move(_Who.OWNER),
    (GoalStatus.ACTIVE, GoalStatus.ARCHIVED): _Move(_Who.OWNER),
    (GoalStatus.COMPLETED, GoalStatus.ARCHIVED): _Move(_Who.OWNER),
}


def goal_transition(
    current: str,
    target: str,
    *,
    has_mentor: bool,
    actor_is_owner: bool,
    actor_is_assigned_mentor: bool,
) -> GoalStatus:
    """Check that the actor may move a goal from `current` to `target`; returns `target`."""
    source = parse_choice(GoalStatus, current, "status")
    goal = parse_choice(GoalStatus, target, "status")
    if not (actor_is_owner or actor_is_assigned_mentor):
        raise NotAllowed("only the goal's owner or its assigned mentor may change it")
    move = _MOVES.get((source, goal))
    if move is None:
        reason = "archived goals are kept as history" if source is GoalStatus.ARCHIVED else None
        raise InvalidTransition("goal", source, goal, reason)
    if move.needs_mentor is True and not has_mentor:
        raise InvalidTransition("goal", source, goal, "no mentor is assigned to approve it")
    if move.needs_mentor is False and has_mentor:
        raise InvalidTransition("goal", source, goal, "a goal with a mentor needs their approval")
    allowed = actor_is_owner if move.who is _Who.OWNER else actor_is_assigned_mentor
    if not allowed:
        raise NotAllowed(f"only {move.who.value} may move a goal from {source} to {goal}")
    return goal


def submit_for_approval(status: str, has_mentor: bool) -> GoalStatus:
    """Owner finishes a draft: it waits for the mentor's approval, or is active if none."""
    target = GoalStatus.PENDING_APPROVAL if has_mentor else GoalStatus.ACTIVE
    return goal_transition(
        status, target, has_mentor=has_mentor, actor_is_owner=True, actor_is_assigned_mentor=False
    )


def approve(status: str, *, actor_is_assigned_mentor: bool) -> GoalStatus:
    """The assigned mentor approves a pending goal, which makes it active."""
    return goal_transition(
        status,
        GoalStatus.ACTIVE,
        has_mentor=True,
        actor_is_owner=False,
        actor_is_assigned_mentor=actor_is_assigned_mentor,
    )


def send_back(
    status: str, note: object, *, actor_is_assigned_mentor: bool
) -> tuple[GoalStatus, str]:
    """The assigned mentor returns a pending goal to draft with a note saying what to change,
    so the mentee can edit and submit it again; returns the status and the checked note."""
    text = require_text(note, field="note", max_length=MAX_RETURN_NOTE)
    status_after = goal_transition(
        status,
        GoalStatus.DRAFT,
        has_mentor=True,
        actor_is_owner=False,
        actor_is_assigned_mentor=actor_is_assigned_mentor,
    )
    return status_after, text.strip()


def activate_without_mentor(status: str, *, has_mentor: bool) -> GoalStatus:
    """The owner activates a draft directly; refused when a mentor must approve it."""
    return goal_transition(
        status,
        GoalStatus.ACTIVE,
        has_mentor=has_mentor,
        actor_is_owner=True,
        actor_is_assigned_mentor=False,
    )


def complete(status: str) -> GoalStatus:
    """The owner marks an active goal completed."""
    return goal_transition(
        status,
        GoalStatus.COMPLETED,
        has_mentor=False,
        actor_is_owner=True,
        actor_is_assigned_mentor=False,
    )


def archive(status: str) -> GoalStatus:
    """The owner archives a goal that is not archived yet (goals are never deleted)."""
    return goal_transition(
        status,
        GoalStatus.ARCHIVED,
        has_mentor=False,
        actor_is_owner=True,
        actor_is_assigned_mentor=False,
    )


def status_after_mentor_change(
    status: str, *, old_mentor_id: str | None, new_mentor_id: str | None
) -> GoalStatus:
    """The status a goal takes when its owner assigns, replaces or removes its mentor.

    A goal with a mentor only becomes active through that mentor's approval, so a new mentor
    sends an active goal back to ``pending_approval``; removing the mentor of a pending goal
    returns it to ``draft`` (the owner submits again and it goes straight to active). Drafts
    and completed goals keep their status, and archived goals never change.
    """
    source = parse_choice(GoalStatus, status, "status")
    if source is GoalStatus.ARCHIVED:
        raise InvalidTransition("goal", source, source, "archived goals are kept as history")
    if new_mentor_id == old_mentor_id:
        return source
    if source is GoalStatus.ACTIVE and new_mentor_id is not None:
        return GoalStatus.PENDING_APPROVAL
    if source is GoalStatus.PENDING_APPROVAL and new_mentor_id is None:
        return GoalStatus.DRAFT
    return source


def goal_progress(habit_completion_rates: Sequence[float]) -> int:
    """Goal progress 0-100: the mean completion rate of its habits, rounded; 0 with no habits."""
    for rate in habit_completion_rates:
        if not 0 <= rate <= 100:
            raise ValueError(f"completion rate must be 0 to 100, got {rate}")
    if not habit_completion_rates:
        return 0
    total = sum((to_decimal(rate) for rate in habit_completion_rates), to_decimal(0))
    return round_half_up_int(total / len(habit_completion_rates))
