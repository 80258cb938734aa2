"""Reflections: a user's daily mood check-ins and Sunday reviews, one per user per local date.

Items are keyed (``userId``, ``date``) with ``date`` the owner's LOCAL calendar day. Only the
owner writes them. Sharing names one mentor: ``sharedWithMentorId`` is stored only while
``isShared`` is true, so the sparse ``ReflectionsByShared`` index holds exactly the reflections
a mentor may read; that mentor may also leave feedback. A weekly reflection is written with
its ``aiInsights`` (``insights.py``: statistics of the user's own week).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from domain.clock import parse_local_date
from domain.errors import Conflict, NotAllowed, RuleViolation
from domain.readable_time import reader_day
from domain.reflections import (
    parse_mood,
    validate_daily_reflection,
    validate_weekly_reflection,
)
from domain.text import require_text

from ..errors import NotFound
from ..storage.items import Item, ItemView
from ..storage.tables import Table
from . import access
from .context import ServiceContext, Viewer
from .insights import insights_text
from .loaders import is_live
from .notify import notify
from .pages import query_live
from .records import ReflectionItem, as_reflection
from .today import user_today
from .writes import Changes, retrying

TABLE = Table.REFLECTIONS
MAX_FEEDBACK_LENGTH = 5000
CONTENT_TEXT_FIELDS = ("whatWentWell", "whatFeltHard", "insights")

Page = tuple[list[Item], str | None]


def _local_date(value: object) -> date:
    return parse_local_date(value, field="date")


def _key(user_id: str, day: date) -> dict[str, str]:
    return {"userId": user_id, "date": day.isoformat()}


def _content(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored map: answered questions only, and always a gratitude list."""
    out: dict[str, Any] = {k: data[k] for k in CONTENT_TEXT_FIELDS if data.get(k) is not None}
    out["gratitude"] = list(data.get("gratitude") or [])
    return out


async def _viewer_user(ctx: ServiceContext, viewer: Viewer) -> Item:
    user = await ctx.loaders.user.load(viewer.user_id)
    if user is None:
        raise NotFound("your account no longer exists")
    return user


async def _checked_goal_id(ctx: ServiceContext, viewer: Viewer, goal_id: str | None) -> str | None:
    """A reflection may point at one of the caller's own goals."""
    if goal_id is None:
        return None
    goal = await ctx.loaders.goal.load(goal_id)
    if goal is None:
        raise NotFound("no such goal", field="goalId")
    access.require_goal_owner(viewer, goal)
    return goal_id


async def _checked_mentor_id(
    ctx: ServiceContext, viewer: Viewer, is_shared: bool, mentor_id: str | None
) -> str | None:
    """The mentor to store: one who exists and mentors, and only while the entry is shared."""
    if not is_shared:
        return None
    if mentor_id is None:
        raise RuleViolation("name the mentor to share with", field="sharedWithMentorId")
    if mentor_id == viewer.user_id:
        raise RuleViolation("share with a mentor, not yourself", field="sharedWithMentorId")
    mentor = await ctx.loaders.user.load(mentor_id)
    if mentor is None:
        raise NotFound("no such mentor", field="sharedWithMentorId")
    if not access.is_mentor(mentor):
        raise RuleViolation("this user is not a mentor", field="sharedWithMentorId")
    return mentor_id


async def _create(
    ctx: ServiceContext, viewer: Viewer, day: date, data: Mapping[str, Any], fields: Item
) -> Item:
    """Shared tail of both creates: goal, sharing, one-per-day, write."""
    goal_id = await _checked_goal_id(ctx, viewer, data.get("goalId"))
    is_shared = bool(data.get("isShared"))
    mentor_id = await _checked_mentor_id(ctx, viewer, is_shared, data.get("sharedWithMentorId"))
    existing = await ctx.store.get(TABLE, _key(viewer.user_id, day))
    if is_live(existing):
        raise Conflict("you already wrote a reflection for this date", field="date")
    changes = Changes(ctx)
    reflection = changes.create(
        TABLE,
        {
            **_key(viewer.user_id, day),
            "reflectionId": str(uuid.uuid4()),
            "goalId": goal_id,
            "isShared": is_shared,
            "sharedWithMentorId": mentor_id,
            **fields,
        },
        replacing=existing,
    )
    await changes.commit()
    return reflection


@retrying
async def create_daily(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    """A daily check-in for one of the caller's local days up to today."""
    viewer = ctx.require_viewer()
    user = await _viewer_user(ctx, viewer)
    day = _local_date(data.get("date"))
    mood = parse_mood(data.get("mood"))
    validate_daily_reflection(
        d=day,
        today=user_today(ctx, user),
        mood_score=data.get("moodScore"),
        text=data.get("text"),
    )
    fields = {"mood": mood.value, "moodScore": data.get("moodScore"), "text": data.get("text")}
    return await _create(ctx, viewer, day, data, fields)


@retrying
async def create_weekly(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    """A structured weekly review, written on a Sunday that has come."""
    viewer = ctx.require_viewer()
    user = await _viewer_user(ctx, viewer)
    day = _local_date(data.get("date"))
    mood = parse_mood(data.get("mood"))
    content = data.get("content") or {}
    validate_weekly_reflection(d=day, today=user_today(ctx, user), content=content)
    validate_daily_reflection(d=day, today=day, mood_score=data.get("moodScore"), text=None)
    fields = {"mood": mood.value, "moodScore": data.get("moodScore"), "content": _content(content)}
    fields["aiInsights"] = await insights_text(ctx, user, day)
    return await _create(ctx, viewer, day, data, fields)


async def _own_live(ctx: ServiceContext, viewer: Viewer, day: date) -> Item:
    current = await ctx.store.get(TABLE, _key(viewer.user_id, day))
    if not is_live(current):
        raise NotFound("you have no reflection on this date")
    return current


@retrying
async def update_reflection(ctx: ServiceContext, date_: str, data: Mapping[str, Any]) -> Item:
    """Change the fields sent; ``null`` clears an optional one."""
    viewer = ctx.require_viewer()
    day = _local_date(date_)
    current = await _own_live(ctx, viewer, day)
    for required in ("mood", "isShared"):
        if required in data and data[required] is None:
            raise RuleViolation("cannot be cleared", field=required)
    fields: dict[str, Any] = {}
    if "mood" in data:
        fields["mood"] = parse_mood(data["mood"]).value
    if "moodScore" in data or "text" in data:
        validate_daily_reflection(
            d=day, today=day, mood_score=data.get("moodScore"), text=data.get("text")
        )
        fields.update({k: data[k] for k in ("moodScore", "text") if k in data})
    if "content" in data:
        content = data["content"]
        if content is not None:
            validate_weekly_reflection(d=day, today=day, content=content)
        fields["content"] = None if content is None else _content(content)
    if "goalId" in data:
        fields["goalId"] = await _checked_goal_id(ctx, viewer, data["goalId"])
    if "isShared" in data or "sharedWithMentorId" in data:
        is_shared = bool(data["isShared"] if "isShared" in data else current.get("isShared"))
        mentor_id = (
            data["sharedWithMentorId"]
            if "sharedWithMentorId" in data
            else current.get("sharedWithMentorId")
        )
        fields["isShared"] = is_shared
        fields["sharedWithMentorId"] = await _checked_mentor_id(ctx, viewer, is_shared, mentor_id)
    changes = Changes(ctx)
    updated = changes.update(TABLE, current, fields)
    await changes.commit()
    return updated


@retrying
async def delete_reflection(ctx: ServiceContext, date_: str) -> Item:
    """Tombstone the caller's reflection of that day; returns it as it was."""
    viewer = ctx.require_viewer()
    current = await _own_live(ctx, viewer, _local_date(date_))
    changes = Changes(ctx)
    changes.delete(TABLE, current)
    await changes.commit()
    return current


async def _by_id(ctx: ServiceContext, reflection_id: str) -> Item | None:
    """The live reflection with this id: found on the index, then re-read by key."""
    found, _ = await query_live(ctx, TABLE, reflection_id, index="ReflectionsById", limit=1)
    if not found:
        return None
    current = await ctx.store.get(TABLE, {"userId": found[0]["userId"], "date": found[0]["date"]})
    if not is_live(current) or current.get("reflectionId") != reflection_id:
        return None
    return current


@retrying
async def add_feedback(ctx: ServiceContext, reflection_id: str, feedback: str) -> Item:
    """The mentor the reflection is shared with comments on it; the owner is notified."""
    viewer = ctx.require_viewer()
    current = await _by_id(ctx, reflection_id)
    if current is None:
        raise NotFound("no such reflection")
    access.require_reflection_mentor(viewer, current)
    text = require_text(feedback, field="feedback", max_length=MAX_FEEDBACK_LENGTH).strip()
    mentor = await ctx.loaders.user.load(viewer.user_id)
    changes = Changes(ctx)
    updated = changes.update(
        TABLE,
        current,
        {
            "mentorFeedback": {
                "mentorId": viewer.user_id,
                "feedback": text,
                "createdAt": changes.now,
            }
        },
    )
    await notify(
        changes,
        user_id=current["userId"],
        type="feedback_received",
        title="New feedback on your reflection",
        message=f"{(mentor or {}).get('name', 'Your mentor')} commented on your reflection of "
        f"{reader_day(date.fromisoformat(current['date']), ctx.clock.now().year)}.",
        related_id=reflection_id,
    )
    await changes.commit()
    return updated


async def get_reflection(ctx: ServiceContext, user_id: str, date_: str) -> ReflectionItem | None:
    """The owner gets theirs (or null); anyone else only one shared with them, else FORBIDDEN
    (whether or not it exists, so a refusal does not reveal which days have entries)."""
    viewer = ctx.require_viewer()
    day = _local_date(date_)
    current = await ctx.store.get(TABLE, _key(user_id, day))
    reflection = current if is_live(current) else None
    if viewer.user_id == user_id:
        return None if reflection is None else as_reflection(reflection)
    if reflection is None:
        raise NotAllowed("this reflection is not shared with you")
    access.require_reflection_reader(viewer, reflection)
    return as_reflection(reflection)


def _everything(item: Item) -> bool:
    return True


def _shared_with(viewer: Viewer) -> Callable[[Item], bool]:
    return lambda item: access.is_shared_with(viewer, item)


async def list_for_user(
    ctx: ServiceContext, user_id: str, limit: int | None, cursor: str | None = None
) -> Page:
    """The owner's reflections, newest first; a mentor gets only those shared with them."""
    viewer = ctx.require_viewer()
    keep: Callable[[Item], bool] = _everything
    if viewer.user_id != user_id:
        access.require_mentor_reader(await ctx.loaders.user.load(viewer.user_id))
        keep = _shared_with(viewer)
    return await query_live(
        ctx, TABLE, user_id, ascending=False, limit=limit, cursor=cursor, keep=keep
    )


async def list_shared(
    ctx: ServiceContext, mentor_id: str, limit: int | None, cursor: str | None = None
) -> Page:
    """The reflections shared with the calling mentor, newest date first."""
    viewer = ctx.require_viewer()
    access.require_shared_list_owner(viewer, mentor_id)
    return await query_live(
        ctx,
        TABLE,
        mentor_id,
        index="ReflectionsByShared",
        ascending=False,
        limit=limit,
        cursor=cursor,
        keep=_shared_with(viewer),
    )


async def list_for_goal(
    ctx: ServiceContext, goal_id: str, limit: int | None, cursor: str | None = None
) -> Page:
    """The goal's owner sees all; its assigned mentor only those shared with them."""
    viewer = ctx.require_viewer()
    goal = await ctx.loaders.goal.load(goal_id)
    if goal is None:
        raise NotFound("no such goal")
    access.require_goal_reader(viewer, goal)
    keep: Callable[[Item], bool] = _everything
    if viewer.user_id != goal.get("userId"):
        keep = _shared_with(viewer)
    return await query_live(
        ctx,
        TABLE,
        goal_id,
        index="ReflectionsByGoal",
        ascending=False,
        limit=limit,
        cursor=cursor,
        keep=keep,
    )


async def reflections_of_goal(ctx: ServiceContext, goal: ItemView) -> list[Item]:
    """``Goal.reflections``: newest first, filtered like ``list_for_goal`` for the caller."""
    items = await ctx.loaders.reflections_by_goal.load(goal["goalId"])
    viewer = ctx.viewer
    if viewer is None:
        return []
    if viewer.user_id != goal.get("userId"):
        items = [i for i in items if access.is_shared_with(viewer, i)]
    return list(reversed(items))


async def goal_of(ctx: ServiceContext, reflection: ItemView) -> Item | None:
    """``Reflection.goal``, only for callers who may read that goal."""
    goal = await ctx.loaders.load(ctx.loaders.goal, reflection.get("goalId"))
    if goal is None or ctx.viewer is None or not access.can_read_goal(ctx.viewer, goal):
        return None
    return goal
