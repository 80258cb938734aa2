"""Habit streaks, completion rates and goal progress, computed when read.

The numbers depend on the owner's local "today", so they change when days pass without any
write: the read path computes them from the habit's completions (``domain.streaks``) and is
authoritative. Completions store the day they were done in ``completedOn`` (for a weekly habit
``date`` is the Monday of its ISO week), and that actual day is what the rules count.

Reads go through the request's loaders: one completions query per habit however many fields
(``currentStreak``, ``longestStreak``, ``completionRate``, ``Goal.progress``) ask for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from domain.clock import local_today, parse_utc
from domain.goals import goal_progress
from domain.streaks import HabitStats, habit_stats

from ..storage.items import Item
from .context import ServiceContext
from .today import user_today


def completion_day(completion: Mapping[str, Any]) -> date:
    """The local day the habit was actually done (``date`` is the period for weekly habits)."""
    return date.fromisoformat(str(completion.get("completedOn") or completion["date"]))


def completed_days(completions: Iterable[Mapping[str, Any]]) -> list[date]:
    return [completion_day(c) for c in completions if c.get("completed")]


def created_on(habit: Mapping[str, Any], owner: Item | None) -> date:
    """The owner's local day on which the habit was created."""
    time_zone = str((owner or {}).get("timeZone") or "UTC")
    return local_today(parse_utc(habit["createdAt"], "createdAt"), time_zone)


def stats_of(
    habit: Mapping[str, Any],
    completions: Iterable[Mapping[str, Any]],
    *,
    owner: Item | None,
    today: date,
) -> HabitStats:
    return habit_stats(
        completed_days(completions),
        created_on=created_on(habit, owner),
        today=today,
        frequency=str(habit["frequency"]),
    )


def stats_payload(habit_id: str, stats: HabitStats) -> dict[str, Any]:
    """The ``HabitStats`` GraphQL object."""
    return {
        "habitId": habit_id,
        "currentStreak": stats.current_streak,
        "longestStreak": stats.longest_streak,
        "completionRate": stats.completion_rate,
        "totalCompletions": stats.total_completions,
        "last30Days": [{"date": day.isoformat(), "completed": done} for day, done in stats.history],
    }


async def read_stats(ctx: ServiceContext, habit: Mapping[str, Any]) -> HabitStats:
    """The habit's statistics as of the owner's local today, computed once per request."""
    key = ("habit-stats", habit["habitId"], habit.get("_version"))
    task = ctx.memo.get(key)
    if task is None:
        task = ctx.memo[key] = asyncio.ensure_future(_compute_stats(ctx, habit))
    stats: HabitStats = await task
    return stats


async def _compute_stats(ctx: ServiceContext, habit: Mapping[str, Any]) -> HabitStats:
    owner, completions = await asyncio.gather(
        ctx.loaders.user.load(habit["userId"]),
        ctx.loaders.completions_by_habit.load(habit["habitId"]),
    )
    return stats_of(habit, completions, owner=owner, today=user_today(ctx, owner))


async def read_goal_progress(ctx: ServiceContext, goal: Mapping[str, Any]) -> int:
    """Mean completion rate of all the goal's habits (``domain.goals.goal_progress``)."""
    habits = await ctx.loaders.habits_by_goal.load(goal["goalId"])
    stats = await asyncio.gather(*(read_stats(ctx, habit) for habit in habits))
    return goal_progress([s.completion_rate for s in stats])
