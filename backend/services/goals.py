"""Identity goals: creating and editing them, their status changes, and who may see them.

Status changes go only through ``domain.goals`` (``goal_transition`` and its helpers): a goal
starts as ``draft``; submitting activates it, or waits for the assigned mentor's approval;
approving, completing and archiving are their own operations; archived goals never change and
goals are never deleted. Reassigning the mentor of a goal sends it back through approval
(``domain.goals.status_after_mentor_change``).

Access (spec "Goal & Habit Access"): the owner has full access; the assigned mentor
(``mentorId``) may read; nobody else may. A mentor listing a mentee's goals sees only the
goals assigned to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import goals as rules
from domain.badges import identity_builder_badge
from domain.choices import parse_choice
from domain.clock import parse_local_date
from domain.errors import Conflict, NotAllowed, RuleViolation
from domain.goals import GoalStatus
from domain.text import check_text_length, require_text

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .badges import award_badges
from .context import ServiceContext, Viewer
from .ids import given_or_new_id, require_uuid
from .loaders import is_live
from .notify import notify
from .pages import all_live, clamp_limit, query_live
from .records import GoalItem, as_goal
from .writes import Changes, retrying

MENTOR_ROLES = ("MENTOR", "BOTH")
TEXT_LIMITS = {"title": 200, "identity": 500, "description": 5000, "category": 100}


def _goal_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated text and date fields present in ``data`` (``None`` clears an optional one)."""
    out: dict[str, Any] = {}
    if "title" in data:
        out["title"] = require_text(data["title"], field="title", max_length=TEXT_LIMITS["title"])
    for name in ("identity", "description", "category"):
        if name in data:
            check_text_length(data[name], field=name, max_length=TEXT_LIMITS[name])
            out[name] = data[name]
    if "dueDate" in data:
        if data["dueDate"] is not None:
            parse_local_date(data["dueDate"], "dueDate")
        out["dueDate"] = data["dueDate"]
    return out


async def _check_mentor(ctx: ServiceContext, mentor_id: object, owner_id: str) -> str:
    """A mentor must be another existing user whose role lets them mentor."""
    mentor_id = require_uuid(mentor_id, "mentorId")
    if mentor_id == owner_id:
        raise RuleViolation("you cannot be the mentor of your own goal", field="mentorId")
    mentor = await ctx.loaders.user.load(mentor_id)
    if mentor is None:
        raise RuleViolation("no such user", field="mentorId")
    if mentor.get("role") not in MENTOR_ROLES:
        raise RuleViolation("this user is not a mentor", field="mentorId")
    return mentor_id


async def read_goal_for_change(ctx: ServiceContext, goal_id: str) -> Item:
    """The live goal, read strongly consistently, or NOT_FOUND."""
    goal = await ctx.store.get(Table.GOALS, {"goalId": goal_id})
    if not is_live(goal):
        raise NotFound("no such goal")
    return goal


async def owned_goal_for_link(ctx: ServiceContext, viewer: Viewer, goal_id: object) -> Item:
    """A goal the caller owns and that is not archived, named by an input's ``goalId``."""
    goal_id = require_uuid(goal_id, "goalId")
    goal = await ctx.store.get(Table.GOALS, {"goalId": goal_id})
    if not is_live(goal):
        raise RuleViolation("no such goal", field="goalId")
    access.require_goal_owner(viewer, goal)
    if goal["status"] == GoalStatus.ARCHIVED:
        raise Conflict("the goal is archived", field="goalId")
    return goal


# -- reads ----------------------------------------------------------------------------------


async def get_goal(ctx: ServiceContext, goal_id: str) -> GoalItem | None:
    viewer = ctx.require_viewer()
    goal = await ctx.loaders.goal.load(goal_id)
    if goal is None:
        return None
    access.require_goal_reader(viewer, goal)
    return as_goal(goal)


async def require_readable_goal(ctx: ServiceContext, goal_id: str) -> GoalItem:
    goal = await get_goal(ctx, goal_id)
    if goal is None:
        raise NotFound("no such goal")
    return goal


async def goals_assigned_by(ctx: ServiceContext, mentor_id: str, user_id: str) -> list[Item]:
    """The user's goals that ``mentor_id`` is assigned to, newest first; FORBIDDEN if none.

    This is how a mentor reads a mentee's lists: someone who mentors none of the user's goals
    has no access to them at all.
    """
    goals = await all_live(ctx, Table.GOALS, mentor_id, index="GoalsByMentor")
    mine = [g for g in goals if g.get("userId") == user_id]
    if not mine:
        raise NotAllowed("only the user and the mentors of their goals may list them")
    return sorted(mine, key=lambda g: str(g["createdAt"]), reverse=True)


def _status_filter(status: str | None) -> str | None:
    return None if status is None else parse_choice(GoalStatus, status, "status").value


async def list_goals_for_user(
    ctx: ServiceContext, user_id: str, status: str | None, limit: int | None
) -> list[GoalItem]:
    viewer = ctx.require_viewer()
    wanted = _status_filter(status)
    if viewer.user_id != user_id:
        assigned = await goals_assigned_by(ctx, viewer.user_id, user_id)
        return [
            as_goal(item)
            for item in [g for g in assigned if wanted in (None, g["status"])][: clamp_limit(limit)]
        ]
    items, _ = await query_live(
        ctx,
        Table.GOALS,
        user_id,
        index="GoalsByUser",
        ascending=False,
        limit=limit,
        keep=lambda g: wanted in (None, g["status"]),
    )
    return [as_goal(item) for item in items]


async def list_goals_for_mentor(
    ctx: ServiceContext, mentor_id: str, status: str | None, limit: int | None
) -> list[GoalItem]:
    access.require_self(ctx.require_viewer(), mentor_id, "a mentor's goal list")
    wanted = _status_filter(status)
    items, _ = await query_live(
        ctx,
        Table.GOALS,
        mentor_id,
        index="GoalsByMentor",
        ascending=False,
        limit=limit,
        keep=lambda g: wanted in (None, g["status"]),
    )
    return [as_goal(item) for item in items]


async def list_goals_by_status(
    ctx: ServiceContext, status: str, limit: int | None
) -> list[GoalItem]:
    access.require_admin(ctx.require_viewer())
    wanted = parse_choice(GoalStatus, status, "status").value
    items, _ = await query_live(
        ctx, Table.GOALS, wanted, index="GoalsByStatus", ascending=False, limit=limit
    )
    return [as_goal(item) for item in items]


# -- writes ---------------------------------------------------------------------------------


@retrying
async def create_goal(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    goal_id = given_or_new_id(data.get("goalId"), "goalId")
    fields = _goal_fields({**data, "title": data.get("title")})
    if data.get("mentorId") is not None:
        fields["mentorId"] = await _check_mentor(ctx, data["mentorId"], viewer.user_id)
    existing = await ctx.store.get(Table.GOALS, {"goalId": goal_id})
    if is_live(existing):
        raise Conflict("a goal with this id exists", field="goalId")
    changes = Changes(ctx)
    goal = changes.create(
        Table.GOALS,
        {
            **fields,
            "goalId": goal_id,
            "userId": viewer.user_id,
            "status": GoalStatus.DRAFT.value,
            "mentorApproved": False,
        },
        replacing=existing,
    )
    await changes.commit()
    return goal


@retrying
async def update_goal(ctx: ServiceContext, goal_id: str, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    goal = await read_goal_for_change(ctx, goal_id)
    access.require_goal_owner(viewer, goal)
    if "title" in data and data["title"] is None:
        raise RuleViolation("cannot be cleared", field="title")
    fields = _goal_fields(data)
    old_mentor = goal.get("mentorId")
    new_mentor = old_mentor
    if "mentorId" in data:
        new_mentor = data["mentorId"]
        if new_mentor is not None and new_mentor != old_mentor:
            new_mentor = await _check_mentor(ctx, new_mentor, viewer.user_id)
    status = rules.status_after_mentor_change(
        goal["status"], old_mentor_id=old_mentor, new_mentor_id=new_mentor
    )
    if new_mentor != old_mentor:
        fields.update({"mentorId": new_mentor, "mentorApproved": False, "mentorApprovedAt": None})
    if status != goal["status"]:
        fields["status"] = status.value
    changes = Changes(ctx)
    updated = changes.update(Table.GOALS, goal, fields)
    await changes.commit()
    return updated


async def _change_status(ctx: ServiceContext, goal: Item, status: GoalStatus) -> Item:
    changes = Changes(ctx)
    updated = changes.update(Table.GOALS, goal, {"status": status.value})
    await changes.commit()
    return updated


@retrying
async def submit_goal_for_approval(ctx: ServiceContext, goal_id: str) -> Item:
    viewer = ctx.require_viewer()
    goal = await read_goal_for_change(ctx, goal_id)
    access.require_goal_owner(viewer, goal)
    status = rules.submit_for_approval(goal["status"], has_mentor=bool(goal.get("mentorId")))
    if status is not GoalStatus.PENDING_APPROVAL:
        return await _change_status(ctx, goal, status)
    owner = await ctx.loaders.user.load(viewer.user_id)
    changes = Changes(ctx)
    submitted = changes.update(Table.GOALS, goal, {"status": status.value})
    await notify(
        changes,
        user_id=str(goal["mentorId"]),
        type="goal_submitted",
        title="A goal waits for you",
        message=f"{(owner or {}).get('name', 'Your mentee')} asks you to approve "
        f"\u201c{goal['title']}\u201d.",
        related_id=goal_id,
    )
    await changes.commit()
    return submitted


@retrying
async def approve_goal(ctx: ServiceContext, goal_id: str) -> Item:
    """The assigned mentor activates a pending goal; the owner is told in the same change."""
    viewer = ctx.require_viewer()
    goal = await read_goal_for_change(ctx, goal_id)
    access.require_goal_mentor(viewer, goal)
    status = rules.approve(goal["status"], actor_is_assigned_mentor=True)
    mentor = await ctx.loaders.user.load(viewer.user_id)
    changes = Changes(ctx)
    approved = changes.update(
        Table.GOALS,
        goal,
        {"status": status.value, "mentorApproved": True, "mentorApprovedAt": changes.now},
    )
    await notify(
        changes,
        user_id=goal["userId"],
        type="goal_approved",
        title="Goal approved",
        message=f"{(mentor or {}).get('name', 'Your mentor')} approved your goal "
        f"\u201c{goal['title']}\u201d.",
        related_id=goal_id,
    )
    await changes.commit()
    return approved


@retrying
async def return_goal(ctx: ServiceContext, goal_id: str, note: str) -> Item:
    """The assigned mentor sends a pending goal back to draft; the owner gets the note."""
    viewer = ctx.require_viewer()
    goal = await read_goal_for_change(ctx, goal_id)
    access.require_goal_mentor(viewer, goal)
    status, text = rules.send_back(goal["status"], note, actor_is_assigned_mentor=True)
    mentor = await ctx.loaders.user.load(viewer.user_id)
    changes = Changes(ctx)
    returned = changes.update(Table.GOALS, goal, {"status": status.value})
    await notify(
        changes,
        user_id=goal["userId"],
        type="goal_returned",
        title="Goal sent back",
        message=f"{(mentor or {}).get('name', 'Your mentor')} on \u201c{goal['title']}\u201d: "
        f"{text}",
        related_id=goal_id,
    )
    await changes.commit()
    return returned


@retrying
async def complete_goal(ctx: ServiceContext, goal_id: str) -> Item:
    """The owner completes an active goal; the first one earns the identity builder badge."""
    viewer = ctx.require_viewer()
    goal = await read_goal_for_change(ctx, goal_id)
    access.require_goal_owner(viewer, goal)
    status = rules.complete(goal["status"])
    owner = await ctx.store.get(Table.USERS, {"userId": goal["userId"]})
    changes = Changes(ctx)
    completed = changes.update(Table.GOALS, goal, {"status": status.value})
    if is_live(owner):
        await award_badges(changes, owner, identity_builder_badge(1))
    await changes.commit()
    return completed


@retrying
async def archive_goal(ctx: ServiceContext, goal_id: str) -> Item:
    viewer = ctx.require_viewer()
    goal = await read_goal_for_change(ctx, goal_id)
    access.require_goal_owner(viewer, goal)
    return await _change_status(ctx, goal, rules.archive(goal["status"]))
