"""Micro-habits: creating and editing them, their status, and who may see them.

A habit belongs to a goal its owner owns (not archived), takes at most two minutes
(``domain.habits``), is tracked daily or weekly, and is active, paused or completed. Habits
are never deleted. The owner has full access; the mentor assigned to the habit's goal may read.
Streaks and rates are computed on read (``habit_stats``); the copies on the item are a
snapshot refreshed at each completion.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import habits as rules
from domain.choices import parse_choice
from domain.errors import Conflict, RuleViolation
from domain.habits import HabitStatus
from domain.text import check_text_length, require_text

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .goals import goals_assigned_by, owned_goal_for_link, require_readable_goal
from .habit_stats import read_stats_payload
from .ids import given_or_new_id
from .loaders import is_live
from .pages import clamp_limit, query_live
from .records import HabitItem, as_habit
from .writes import Changes, retrying

CUE_PARTS = ("time", "place", "context")
CUE_PART_MAX = 200
TEXT_LIMITS = {"title": 200, "description": 2000, "reward": 500}


def _cue(value: Mapping[str, Any] | None) -> dict[str, str]:
    """The cue map; a missing cue is the empty cue ``{}``, and blank parts are left out."""
    cue: dict[str, str] = {}
    for part in CUE_PARTS:
        text = (value or {}).get(part)
        check_text_length(text, field=f"cue.{part}", max_length=CUE_PART_MAX)
        if text is not None and text.strip():
            cue[part] = text
    return cue


def _habit_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated habit fields present in ``data`` (``None`` clears an optional one)."""
    out: dict[str, Any] = {}
    for required in ("title", "frequency", "duration"):
        if required in data and data[required] is None:
            raise RuleViolation("must not be empty", field=required)
    if "title" in data:
        out["title"] = require_text(data["title"], field="title", max_length=TEXT_LIMITS["title"])
    for name in ("description", "reward"):
        if name in data:
            check_text_length(data[name], field=name, max_length=TEXT_LIMITS[name])
            out[name] = data[name]
    if "frequency" in data:
        out["frequency"] = rules.parse_frequency(data["frequency"]).value
    if "duration" in data:
        duration = data["duration"]
        if isinstance(duration, bool) or not isinstance(duration, int):
            raise RuleViolation("minutes as a whole number", field="duration")
        rules.validate_habit_duration(duration)
        out["duration"] = duration
    if "cue" in data:
        out["cue"] = _cue(data["cue"])
    return out


# -- reads ----------------------------------------------------------------------------------


async def get_habit(ctx: ServiceContext, habit_id: str) -> HabitItem | None:
    viewer = ctx.require_viewer()
    habit = await ctx.loaders.habit.load(habit_id)
    if habit is None:
        return None
    goal = await ctx.loaders.goal.load(habit["goalId"])
    access.require_habit_reader(viewer, habit, goal)
    return as_habit(habit)


async def require_readable_habit(ctx: ServiceContext, habit_id: str) -> HabitItem:
    habit = await get_habit(ctx, habit_id)
    if habit is None:
        raise NotFound("no such habit")
    return habit


async def get_habit_stats(ctx: ServiceContext, habit_id: str) -> dict[str, Any]:
    """Streaks, rate, total and the last 30 local days, as of the owner's today."""
    return await read_stats_payload(ctx, await require_readable_habit(ctx, habit_id))


def _status_filter(status: str | None) -> str | None:
    return None if status is None else parse_choice(HabitStatus, status, "status").value


async def list_habits_for_user(
    ctx: ServiceContext, user_id: str, status: str | None, limit: int | None
) -> list[HabitItem]:
    """The user's habits; a mentor gets those of the goals assigned to them."""
    viewer = ctx.require_viewer()
    wanted = _status_filter(status)
    goal_ids: set[str] | None = None
    if viewer.user_id != user_id:
        goal_ids = {g["goalId"] for g in await goals_assigned_by(ctx, viewer.user_id, user_id)}
    items, _ = await query_live(
        ctx,
        Table.HABITS,
        user_id,
        index="HabitsByUser",
        ascending=False,
        limit=limit,
        keep=lambda h: (
            wanted in (None, h["status"]) and (goal_ids is None or h["goalId"] in goal_ids)
        ),
    )
    return [as_habit(item) for item in items]


async def list_habits_for_goal(
    ctx: ServiceContext, goal_id: str, limit: int | None
) -> list[HabitItem]:
    goal = await require_readable_goal(ctx, goal_id)
    habits = await ctx.loaders.habits_by_goal.load(goal["goalId"])
    return [as_habit(item) for item in list(reversed(habits))[: clamp_limit(limit)]]


# -- writes ---------------------------------------------------------------------------------


async def read_habit_for_change(ctx: ServiceContext, habit_id: str) -> Item:
    habit = await ctx.store.get(Table.HABITS, {"habitId": habit_id})
    if not is_live(habit):
        raise NotFound("no such habit")
    return habit


@retrying
async def create_habit(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    habit_id = given_or_new_id(data.get("habitId"), "habitId")
    fields = _habit_fields(
        {
            **data,
            "title": data.get("title"),
            "frequency": data.get("frequency"),
            "duration": data.get("duration"),
            "cue": data.get("cue"),
        }
    )
    goal = await owned_goal_for_link(ctx, viewer, data.get("goalId"))
    existing = await ctx.store.get(Table.HABITS, {"habitId": habit_id})
    if is_live(existing):
        raise Conflict("a habit with this id exists", field="habitId")
    changes = Changes(ctx)
    habit = changes.create(
        Table.HABITS,
        {
            **fields,
            "habitId": habit_id,
            "goalId": goal["goalId"],
            "userId": viewer.user_id,
            "status": HabitStatus.ACTIVE.value,
            "currentStreak": 0,
            "longestStreak": 0,
            "completionRate": 0.0,
        },
        replacing=existing,
    )
    await changes.commit()
    return habit


async def _change(ctx: ServiceContext, habit: Item, fields: Mapping[str, Any]) -> Item:
    if all(habit.get(name) == value for name, value in fields.items()):
        return habit
    changes = Changes(ctx)
    updated = changes.update(Table.HABITS, habit, fields)
    await changes.commit()
    return updated


@retrying
async def update_habit(ctx: ServiceContext, habit_id: str, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    habit = await read_habit_for_change(ctx, habit_id)
    access.require_habit_owner(viewer, habit)
    return await _change(ctx, habit, _habit_fields(data))


@retrying
async def pause_habit(ctx: ServiceContext, habit_id: str) -> Item:
    viewer = ctx.require_viewer()
    habit = await read_habit_for_change(ctx, habit_id)
    access.require_habit_owner(viewer, habit)
    return await _change(ctx, habit, {"status": rules.pause(habit["status"]).value})


@retrying
async def resume_habit(ctx: ServiceContext, habit_id: str) -> Item:
    viewer = ctx.require_viewer()
    habit = await read_habit_for_change(ctx, habit_id)
    access.require_habit_owner(viewer, habit)
    return await _change(ctx, habit, {"status": rules.resume(habit["status"]).value})


@retrying
async def set_habit_status(ctx: ServiceContext, habit_id: str, status: str) -> Item:
    viewer = ctx.require_viewer()
    habit = await read_habit_for_change(ctx, habit_id)
    access.require_habit_owner(viewer, habit)
    return await _change(ctx, habit, {"status": rules.parse_status(status).value})
