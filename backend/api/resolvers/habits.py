"""Habits and their completions: thin resolvers over ``services.habits`` / ``completions``.

Streaks and the completion rate are computed when read (``services.habit_stats``), through
the request's loaders, so they are right even when days pass without a write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import attrgetter
from typing import Any, TypeVar

from ariadne import MutationType, ObjectType, QueryType

from domain.streaks import HabitStats

from ...services import completions, habit_stats, habits
from ...services.pages import MAX_LIMIT
from ...services.records import CompletionItem, HabitItem
from ...storage.items import Item
from ..context import Info, ctx_of
from ..pages import page_payload

query = QueryType()
mutation = MutationType()
habit_type = ObjectType("Habit")
completion_type = ObjectType("HabitCompletion")
T = TypeVar("T")


@query.field("getHabit")
async def resolve_get_habit(_: Any, info: Info, habitId: str) -> HabitItem | None:
    return await habits.get_habit(ctx_of(info), habitId)


@query.field("listHabitsForUser")
async def resolve_list_habits_for_user(
    _: Any, info: Info, userId: str, status: str | None = None, limit: int | None = None
) -> list[HabitItem]:
    return await habits.list_habits_for_user(ctx_of(info), userId, status, limit)


@query.field("listHabitsForGoal")
async def resolve_list_habits_for_goal(
    _: Any, info: Info, goalId: str, limit: int | None = None
) -> list[HabitItem]:
    return await habits.list_habits_for_goal(ctx_of(info), goalId, limit)


@query.field("getHabitStats")
async def resolve_get_habit_stats(_: Any, info: Info, habitId: str) -> dict[str, Any]:
    return await habits.get_habit_stats(ctx_of(info), habitId)


@query.field("getHabitCompletion")
async def resolve_get_habit_completion(
    _: Any, info: Info, habitId: str, date: str
) -> CompletionItem | None:
    return await completions.get_habit_completion(ctx_of(info), habitId, date)


@query.field("listCompletionsForHabit")
async def resolve_list_completions_for_habit(
    _: Any,
    info: Info,
    habitId: str,
    dateFrom: str | None = None,
    dateTo: str | None = None,
    limit: int | None = None,
) -> list[Item]:
    items, _ = await completions.list_completions_for_habit(
        ctx_of(info), habitId, dateFrom, dateTo, limit
    )
    return items


@query.field("listCompletionsForHabitPage")
async def resolve_list_completions_for_habit_page(
    _: Any,
    info: Info,
    habitId: str,
    dateFrom: str | None = None,
    dateTo: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    return page_payload(
        await completions.list_completions_for_habit(
            ctx_of(info), habitId, dateFrom, dateTo, limit, cursor
        )
    )


@query.field("listCompletionsForUser")
async def resolve_list_completions_for_user(
    _: Any,
    info: Info,
    userId: str,
    dateFrom: str | None = None,
    dateTo: str | None = None,
    limit: int | None = None,
) -> list[Item]:
    items, _ = await completions.list_completions_for_user(
        ctx_of(info), userId, dateFrom, dateTo, limit
    )
    return items


@query.field("listCompletionsForUserPage")
async def resolve_list_completions_for_user_page(
    _: Any,
    info: Info,
    userId: str,
    dateFrom: str | None = None,
    dateTo: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    return page_payload(
        await completions.list_completions_for_user(
            ctx_of(info), userId, dateFrom, dateTo, limit, cursor
        )
    )


@mutation.field("createHabit")
async def resolve_create_habit(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await habits.create_habit(ctx_of(info), input)


@mutation.field("updateHabit")
async def resolve_update_habit(_: Any, info: Info, habitId: str, input: dict[str, Any]) -> Item:
    return await habits.update_habit(ctx_of(info), habitId, input)


@mutation.field("pauseHabit")
async def resolve_pause_habit(_: Any, info: Info, habitId: str) -> Item:
    return await habits.pause_habit(ctx_of(info), habitId)


@mutation.field("resumeHabit")
async def resolve_resume_habit(_: Any, info: Info, habitId: str) -> Item:
    return await habits.resume_habit(ctx_of(info), habitId)


@mutation.field("setHabitStatus")
async def resolve_set_habit_status(_: Any, info: Info, habitId: str, status: str) -> Item:
    return await habits.set_habit_status(ctx_of(info), habitId, status)


@mutation.field("completeHabit")
async def resolve_complete_habit(
    _: Any,
    info: Info,
    habitId: str,
    date: str,
    notes: str | None = None,
    evidence: str | None = None,
) -> Item:
    return await completions.complete_habit(ctx_of(info), habitId, date, notes, evidence)


@mutation.field("uncompleteHabit")
async def resolve_uncomplete_habit(_: Any, info: Info, habitId: str, date: str) -> Item:
    return await completions.uncomplete_habit(ctx_of(info), habitId, date)


@habit_type.field("goal")
async def resolve_habit_goal(habit: HabitItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.goal.load(habit["goalId"])


@habit_type.field("user")
async def resolve_habit_user(habit: HabitItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(habit["userId"])


@habit_type.field("cue")
def resolve_habit_cue(habit: HabitItem, _: Info) -> dict[str, Any]:
    return dict(habit.get("cue") or {})


@habit_type.field("currentStreak")
def resolve_habit_current_streak(habit: HabitItem, info: Info) -> int | Awaitable[int]:
    return _stat(info, habit, attrgetter("current_streak"))


@habit_type.field("longestStreak")
def resolve_habit_longest_streak(habit: HabitItem, info: Info) -> int | Awaitable[int]:
    return _stat(info, habit, attrgetter("longest_streak"))


@habit_type.field("completionRate")
def resolve_habit_completion_rate(habit: HabitItem, info: Info) -> float | Awaitable[float]:
    return _stat(info, habit, attrgetter("completion_rate"))


def _stat(info: Info, habit: HabitItem, pick: Callable[[HabitStats], T]) -> T | Awaitable[T]:
    """One number of the habit's statistics: at once if this request knows them already
    (a goal list read them ahead), else once they are computed."""
    ctx = ctx_of(info)
    known = habit_stats.known_stats(ctx, habit)
    if known is not None:
        return pick(known)
    return _picked(habit_stats.read_stats(ctx, habit), pick)


async def _picked(reading: Awaitable[HabitStats], pick: Callable[[HabitStats], T]) -> T:
    return pick(await reading)


@habit_type.field("completions")
async def resolve_habit_completions(habit: HabitItem, info: Info) -> list[Item]:
    """The newest completions first (at most the list maximum; page with the Page query)."""
    found = await ctx_of(info).loaders.completions_by_habit.load(habit["habitId"])
    return list(reversed(found))[:MAX_LIMIT]


@completion_type.field("habit")
async def resolve_completion_habit(completion: CompletionItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.habit.load(completion["habitId"])


@completion_type.field("user")
async def resolve_completion_user(completion: CompletionItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(completion["userId"])


bindables = [query, mutation, habit_type, completion_type]
