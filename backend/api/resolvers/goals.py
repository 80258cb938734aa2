"""Goals: thin resolvers over ``services.goals``; nested fields read through the loaders.

``Goal.reflections`` is bound by the reflections module.
"""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import goals, habit_stats
from ...services.records import GoalItem
from ...storage.items import Item
from ..context import Info, ctx_of

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
    return await goals.list_goals_for_user(ctx_of(info), userId, status, limit)


@query.field("listGoalsForMentor")
async def resolve_list_goals_for_mentor(
    _: Any, info: Info, mentorId: str, status: str | None = None, limit: int | None = None
) -> list[GoalItem]:
    return await goals.list_goals_for_mentor(ctx_of(info), mentorId, status, limit)


@query.field("listGoalsByStatus")
async def resolve_list_goals_by_status(
    _: Any, info: Info, status: str, limit: int | None = None
) -> list[GoalItem]:
    return await goals.list_goals_by_status(ctx_of(info), status, limit)


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
async def resolve_goal_progress(goal: GoalItem, info: Info) -> int:
    return await habit_stats.read_goal_progress(ctx_of(info), goal)


@goal_type.field("habits")
async def resolve_goal_habits(goal: GoalItem, info: Info) -> list[Item]:
    """Newest first, like ``listHabitsForGoal``."""
    habits = await ctx_of(info).loaders.habits_by_goal.load(goal["goalId"])
    return list(reversed(habits))


@goal_type.field("todos")
async def resolve_goal_todos(goal: GoalItem, info: Info) -> list[Item]:
    """Newest first, like ``listTodosForGoal``."""
    todos = await ctx_of(info).loaders.todos_by_goal.load(goal["goalId"])
    return list(reversed(todos))


bindables = [query, mutation, goal_type]
