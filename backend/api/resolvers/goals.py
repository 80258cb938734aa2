"""Goals: thin resolvers over ``services.goals``; nested fields read through the loaders.

The goal lists read, in one batch up front, the habits and statistics their selection asks
for (``lookahead``); ``Goal.habits`` and ``Goal.progress`` then answer without waiting, and
wait (through the loaders) only where nothing was read ahead. ``Goal.reflections`` is bound
by the reflections module.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import goals, habit_stats
from ...services.records import GoalItem
from ...storage.items import Item
from ..context import Info, ctx_of
from ..lookahead import selected

query = QueryType()
mutation = MutationType()
goal_type = ObjectType("Goal")


@query.field("getGoal")
async def resolve_get_goal(_: Any, info: Info, goalId: str) -> GoalItem | None:
    return await goals.get_goal(ctx_of(info), goalId)


@query.field("listGoalsForUser")
async def resolve_list_goals_for_user(
    _: Any, info: Info, userId: str, status: str | None = None, limit: int | None = None
) -> list[GoalItem]:
    return await _read_ahead(
        info, await goals.list_goals_for_user(ctx_of(info), userId, status, limit)
    )


@query.field("listGoalsForMentor")
async def resolve_list_goals_for_mentor(
    _: Any, info: Info, mentorId: str, status: str | None = None, limit: int | None = None
) -> list[GoalItem]:
    found = await goals.list_goals_for_mentor(ctx_of(info), mentorId, status, limit)
    return await _read_ahead(info, found)


@query.field("listGoalsByStatus")
async def resolve_list_goals_by_status(
    _: Any, info: Info, status: str, limit: int | None = None
) -> list[GoalItem]:
    return await _read_ahead(info, await goals.list_goals_by_status(ctx_of(info), status, limit))


STATS_FIELDS = frozenset({"currentStreak", "longestStreak", "completionRate"})


async def _read_ahead(info: Info, found: list[GoalItem]) -> list[GoalItem]:
    """The goals, once the habits and statistics their selection asks for are read."""
    fields = selected(info)
    wants_stats = "progress" in fields or (
        "habits" in fields and not STATS_FIELDS.isdisjoint(selected(info, "habits"))
    )
    await habit_stats.prepare_goals(
        ctx_of(info), found, habits="habits" in fields, stats=wants_stats
    )
    return found


@mutation.field("createGoal")
async def resolve_create_goal(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await goals.create_goal(ctx_of(info), input)


@mutation.field("updateGoal")
async def resolve_update_goal(_: Any, info: Info, goalId: str, input: dict[str, Any]) -> Item:
    return await goals.update_goal(ctx_of(info), goalId, input)


@mutation.field("submitGoalForApproval")
async def resolve_submit_goal_for_approval(_: Any, info: Info, goalId: str) -> Item:
    return await goals.submit_goal_for_approval(ctx_of(info), goalId)


@mutation.field("approveGoal")
async def resolve_approve_goal(_: Any, info: Info, goalId: str) -> Item:
    return await goals.approve_goal(ctx_of(info), goalId)


@mutation.field("returnGoal")
async def resolve_return_goal(_: Any, info: Info, goalId: str, note: str) -> Item:
    return await goals.return_goal(ctx_of(info), goalId, note)


@mutation.field("completeGoal")
async def resolve_complete_goal(_: Any, info: Info, goalId: str) -> Item:
    return await goals.complete_goal(ctx_of(info), goalId)


@mutation.field("archiveGoal")
async def resolve_archive_goal(_: Any, info: Info, goalId: str) -> Item:
    return await goals.archive_goal(ctx_of(info), goalId)


@goal_type.field("user")
async def resolve_goal_user(goal: GoalItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(goal["userId"])


@goal_type.field("mentor")
async def resolve_goal_mentor(goal: GoalItem, info: Info) -> Item | None:
    ctx = ctx_of(info)
    return await ctx.loaders.load(ctx.loaders.user, goal.get("mentorId"))


@goal_type.field("mentorApproved")
def resolve_goal_mentor_approved(goal: GoalItem, _: Info) -> bool:
    return bool(goal.get("mentorApproved", False))


@goal_type.field("progress")
def resolve_goal_progress(goal: GoalItem, info: Info) -> int | Awaitable[int]:
    ctx = ctx_of(info)
    known = habit_stats.known_goal_progress(ctx, goal)
    return known if known is not None else habit_stats.read_goal_progress(ctx, goal)


@goal_type.field("habits")
def resolve_goal_habits(goal: GoalItem, info: Info) -> list[Item] | Awaitable[list[Item]]:
    """Newest first, like ``listHabitsForGoal``."""
    loader = ctx_of(info).loaders.habits_by_goal
    known = loader.known(goal["goalId"])
    if known is not None:
        return list(reversed(known))
    return _newest_first(loader.load(goal["goalId"]))


async def _newest_first(loading: Awaitable[list[Item]]) -> list[Item]:
    return list(reversed(await loading))


@goal_type.field("todos")
async def resolve_goal_todos(goal: GoalItem, info: Info) -> list[Item]:
    """Newest first, like ``listTodosForGoal``."""
    todos = await ctx_of(info).loaders.todos_by_goal.load(goal["goalId"])
    return list(reversed(todos))


bindables = [query, mutation, goal_type]
