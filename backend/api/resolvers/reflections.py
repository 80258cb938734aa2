"""Reflections: thin resolvers that call ``services.reflections``, plus ``Goal.reflections``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import insights, reflections
from ...services.records import GoalItem, ReflectionItem
from ...storage.items import Item
from ..context import Info, ctx_of
from ..pages import page_payload

query = QueryType()
mutation = MutationType()
reflection_type = ObjectType("Reflection")
content_type = ObjectType("ReflectionContent")
goal_type = ObjectType("Goal")


@query.field("getReflection")
async def resolve_get_reflection(
    _: Any, info: Info, userId: str, date: str
) -> ReflectionItem | None:
    return await reflections.get_reflection(ctx_of(info), userId, date)


@query.field("listReflectionsForUser")
async def resolve_list_reflections_for_user(
    _: Any, info: Info, userId: str, limit: int | None = None
) -> list[Item]:
    items, _cursor = await reflections.list_for_user(ctx_of(info), userId, limit)
    return items


@query.field("listReflectionsForUserPage")
async def resolve_list_reflections_for_user_page(
    _: Any, info: Info, userId: str, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    return page_payload(await reflections.list_for_user(ctx_of(info), userId, limit, cursor))


@query.field("listSharedReflections")
async def resolve_list_shared_reflections(
    _: Any, info: Info, mentorId: str, limit: int | None = None
) -> list[Item]:
    items, _cursor = await reflections.list_shared(ctx_of(info), mentorId, limit)
    return items


@query.field("listSharedReflectionsPage")
async def resolve_list_shared_reflections_page(
    _: Any, info: Info, mentorId: str, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    return page_payload(await reflections.list_shared(ctx_of(info), mentorId, limit, cursor))


@query.field("listReflectionsForGoal")
async def resolve_list_reflections_for_goal(
    _: Any, info: Info, goalId: str, limit: int | None = None
) -> list[Item]:
    items, _cursor = await reflections.list_for_goal(ctx_of(info), goalId, limit)
    return items


@query.field("listReflectionsForGoalPage")
async def resolve_list_reflections_for_goal_page(
    _: Any, info: Info, goalId: str, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    return page_payload(await reflections.list_for_goal(ctx_of(info), goalId, limit, cursor))


@mutation.field("createReflection")
async def resolve_create_reflection(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await reflections.create_daily(ctx_of(info), input)


@mutation.field("createWeeklyReflection")
async def resolve_create_weekly_reflection(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await reflections.create_weekly(ctx_of(info), input)


@mutation.field("updateReflection")
async def resolve_update_reflection(_: Any, info: Info, date: str, input: dict[str, Any]) -> Item:
    return await reflections.update_reflection(ctx_of(info), date, input)


@mutation.field("refreshReflectionInsights")
async def resolve_refresh_reflection_insights(_: Any, info: Info, date: str) -> Item:
    return await insights.refresh_insights(ctx_of(info), date)


@mutation.field("deleteReflection")
async def resolve_delete_reflection(_: Any, info: Info, date: str) -> Item:
    return await reflections.delete_reflection(ctx_of(info), date)


@mutation.field("addReflectionFeedback")
async def resolve_add_reflection_feedback(
    _: Any, info: Info, reflectionId: str, feedback: str
) -> Item:
    return await reflections.add_feedback(ctx_of(info), reflectionId, feedback)


@reflection_type.field("user")
async def resolve_reflection_user(reflection: ReflectionItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(reflection["userId"])


@reflection_type.field("goal")
async def resolve_reflection_goal(reflection: ReflectionItem, info: Info) -> Item | None:
    return await reflections.goal_of(ctx_of(info), reflection)


@reflection_type.field("sharedWithMentor")
async def resolve_reflection_shared_with_mentor(
    reflection: ReflectionItem, info: Info
) -> Item | None:
    ctx = ctx_of(info)
    return await ctx.loaders.load(ctx.loaders.user, reflection.get("sharedWithMentorId"))


@reflection_type.field("isShared")
def resolve_reflection_is_shared(reflection: ReflectionItem, _: Info) -> bool:
    return bool(reflection.get("isShared"))


@content_type.field("gratitude")
def resolve_content_gratitude(content: Item, _: Info) -> list[str]:
    return list(content.get("gratitude") or [])


@goal_type.field("reflections")
async def resolve_goal_reflections(goal: GoalItem, info: Info) -> list[Item]:
    return await reflections.reflections_of_goal(ctx_of(info), goal)


bindables = [query, mutation, reflection_type, content_type, goal_type]
