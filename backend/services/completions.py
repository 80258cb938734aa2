"""Habit completions: one item per habit and tracking period, on the owner's local calendar.

The item key is (habitId, date) as in the spec. For a daily habit ``date`` is the day; for a
weekly habit it is the Monday of the ISO week (``domain.habits.period_of``), so a week holds
one completion, and the day it was actually done is kept in ``completedOn``. Dates are the
owner's local dates (their ``timeZone``), never in the future and at most 7 days back.

Completing an already completed period changes nothing but the notes and evidence sent.
Un-completing keeps the item with ``completed = false`` so synced devices see the change.
Each change refreshes the streak snapshot on the habit and, on completion, awards the streak
and consistency badges the user has just earned, all in one transaction. The snapshot reads
only the completions of the last few weeks: the periods before them can no longer change and
are kept summarised on the habit (``SETTLED_ATTR``, ``domain.settled_streaks``), so a
completion costs the same after years of history as on the first day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from domain.badges import (
    CONSISTENCY_DAYS,
    BadgeAward,
    consistency_badge,
    daily_completion_ratios,
    streak_badges,
)
from domain.clock import parse_local_date, week_start
from domain.errors import RuleViolation
from domain.habits import (
    HabitFrequency,
    period_of,
    require_completable,
    validate_completion_date,
)
from domain.links import require_http_url
from domain.settled_streaks import completed_periods, settle, settled_until, streaks
from domain.streaks import HabitStats
from domain.text import check_text_length

from ..errors import NotFound
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .badges import award_badges, awarded_keys
from .context import ServiceContext
from .habit_stats import (
    RECENT_ATTR,
    SETTLED_ATTR,
    completed_days,
    completion_day,
    created_on,
    recent_days_item,
    stored_summary,
    summary_serves,
)
from .habits import read_habit_for_change, require_readable_habit
from .loaders import is_live
from .pages import all_live, query_live
from .records import CompletionItem, as_completion
from .today import user_today
from .writes import Changes, retrying

NOTES_MAX = 2000
CONSISTENCY_KEY = f"consistency:{CONSISTENCY_DAYS}d"


def _evidence(value: str | None) -> str | None:
    """Evidence is a link to an image or other proof."""
    if value is None:
        return None
    return require_http_url(value, field="evidence")


async def _owner_and_day(ctx: ServiceContext, habit: Item, date_text: str) -> tuple[Item, date]:
    """The habit owner's item (strongly consistent) and the checked local completion day."""
    day = parse_local_date(date_text, "date")
    owner = await ctx.store.get(Table.USERS, {"userId": habit["userId"]})
    if not is_live(owner):
        raise NotFound("the habit's owner no longer exists")
    validate_completion_date(day, today=user_today(ctx, owner))
    return owner, day


def _key(habit: Mapping[str, Any], day: date) -> dict[str, str]:
    return {"habitId": habit["habitId"], "date": period_of(day, habit["frequency"]).isoformat()}


async def _refresh_habit_stats(
    ctx: ServiceContext, changes: Changes, habit: Item, owner: Item, completion: Item
) -> HabitStats:
    """Queue the habit's streak snapshot as it is with ``completion``; returns the figures.

    Reads the completions from the stored summary's cutoff on; every completion only the
    first time, or when the summary no longer fits the habit (its frequency changed, the
    owner's "today" went back).
    """
    today = user_today(ctx, owner)
    frequency = str(habit["frequency"])
    created = created_on(habit, owner)
    first, until = period_of(created, frequency), settled_until(today, frequency)
    settled = stored_summary(habit)
    if settled is not None and not summary_serves(settled, habit, created=created, today=today):
        settled = None
    since = None if settled is None else SortKeyCondition.ge(settled.until.isoformat())
    stored = await all_live(ctx, Table.HABIT_COMPLETIONS, habit["habitId"], sk=since)
    merged = [*[c for c in stored if c["date"] != completion["date"]], completion]
    periods = completed_periods(completed_days(merged), today=today, frequency=frequency)
    settled = settle(periods, frequency=frequency, first=first, until=until, since=settled)
    figures = streaks(settled, periods, created_on=created, today=today)
    fields = {
        "currentStreak": figures.current_streak,
        "longestStreak": figures.longest_streak,
        "completionRate": figures.completion_rate,
        SETTLED_ATTR: settled.as_item(),
    }
    # The days from the cutoff on, for the version this write gives the habit; rewritten
    # when they changed or the habit changed since they were written (that voided them).
    version = int(habit.get("_version", 0))
    recent = recent_days_item(settled, merged, version=version + 1)
    still_kept = habit.get(RECENT_ATTR) == {**recent, "version": version}
    if not still_kept or any(habit.get(name) != value for name, value in fields.items()):
        changes.update(Table.HABITS, habit, {**fields, RECENT_ATTR: recent})
    return figures


@retrying
async def complete_habit(
    ctx: ServiceContext,
    habit_id: str,
    date_text: str,
    notes: str | None = None,
    evidence: str | None = None,
) -> Item:
    viewer = ctx.require_viewer()
    habit = await read_habit_for_change(ctx, habit_id)
    access.require_habit_owner(viewer, habit)
    check_text_length(notes, field="notes", max_length=NOTES_MAX)
    _evidence(evidence)
    owner, day = await _owner_and_day(ctx, habit, date_text)
    require_completable(habit["status"])
    key = _key(habit, day)
    existing = await ctx.store.get(Table.HABIT_COMPLETIONS, key)
    extras = {
        name: value
        for name, value in (("notes", notes), ("evidence", evidence))
        if value is not None
    }
    changes = Changes(ctx)
    if is_live(existing) and existing.get("completed"):
        if all(existing.get(name) == value for name, value in extras.items()):
            return existing
        completion = changes.update(Table.HABIT_COMPLETIONS, existing, extras)
        await changes.commit()
        return completion
    if is_live(existing):
        completion = changes.update(
            Table.HABIT_COMPLETIONS,
            existing,
            {"completed": True, "completedOn": day.isoformat(), **extras},
        )
    else:
        completion = changes.create(
            Table.HABIT_COMPLETIONS,
            {
                **key,
                "userId": habit["userId"],
                "completed": True,
                "completedOn": day.isoformat(),
                **extras,
            },
            replacing=existing,
        )
    stats = await _refresh_habit_stats(ctx, changes, habit, owner, completion)
    candidates: list[BadgeAward | None] = []
    if habit["frequency"] == HabitFrequency.DAILY:
        candidates += streak_badges(stats.longest_streak)
        if CONSISTENCY_KEY not in awarded_keys(owner):
            candidates.append(await _consistency_candidate(ctx, owner, completion))
    await award_badges(changes, owner, *candidates)
    await changes.commit()
    return completion


@retrying
async def uncomplete_habit(ctx: ServiceContext, habit_id: str, date_text: str) -> Item:
    viewer = ctx.require_viewer()
    habit = await read_habit_for_change(ctx, habit_id)
    access.require_habit_owner(viewer, habit)
    owner, day = await _owner_and_day(ctx, habit, date_text)
    existing = await ctx.store.get(Table.HABIT_COMPLETIONS, _key(habit, day))
    if not is_live(existing):
        raise NotFound("the habit has no completion on that date")
    if not existing.get("completed"):
        return existing
    changes = Changes(ctx)
    completion = changes.update(Table.HABIT_COMPLETIONS, existing, {"completed": False})
    await _refresh_habit_stats(ctx, changes, habit, owner, completion)
    await changes.commit()
    return completion


async def _consistency_candidate(
    ctx: ServiceContext, owner: Item, completion: Item
) -> BadgeAward | None:
    """The consistency badge if, with ``completion``, the user's last 30 days qualify.

    The per-day ratios are ``domain.badges.daily_completion_ratios`` of the user's active
    daily habits; the early return saves the completions' read when there cannot be 30 days.
    """
    today = user_today(ctx, owner)
    start = today - timedelta(days=CONSISTENCY_DAYS - 1)
    habits = await all_live(ctx, Table.HABITS, owner["userId"], index="HabitsByUser")
    daily = [
        (h["habitId"], created_on(h, owner))
        for h in habits
        if h.get("frequency") == HabitFrequency.DAILY and h.get("status") == "active"
    ]
    if not daily or min(created for _, created in daily) > start:
        return None
    recent = await all_live(
        ctx,
        Table.HABIT_COMPLETIONS,
        owner["userId"],
        index="CompletionsByUser",
        sk=SortKeyCondition.between(start.isoformat(), today.isoformat()),
    )
    by_key = {(c["habitId"], c["date"]): c for c in recent}
    by_key[(completion["habitId"], completion["date"])] = completion
    done = {(c["habitId"], completion_day(c)) for c in by_key.values() if c.get("completed")}
    ratios = daily_completion_ratios(daily, done, today)
    if ratios is None:
        return None
    return consistency_badge(ratios)


# -- reads ----------------------------------------------------------------------------------


async def get_habit_completion(
    ctx: ServiceContext, habit_id: str, date_text: str
) -> CompletionItem | None:
    """The completion covering that local date (its week's, for a weekly habit)."""
    habit = await require_readable_habit(ctx, habit_id)
    day = parse_local_date(date_text, "date")
    completion = await ctx.store.get(Table.HABIT_COMPLETIONS, _key(habit, day))
    return as_completion(completion) if is_live(completion) else None


def _date_range(
    date_from: str | None, date_to: str | None
) -> tuple[SortKeyCondition | None, date | None, date | None]:
    """The sort-key condition for completions done from ``date_from`` to ``date_to``.

    Weekly completions are keyed by their Monday, up to 6 days before the day they were done,
    so the key range starts at the Monday of ``date_from``'s week and the actual day
    (``completedOn``) is filtered.
    """
    low = None if date_from is None else parse_local_date(date_from, "dateFrom")
    high = None if date_to is None else parse_local_date(date_to, "dateTo")
    if low is not None and high is not None and low > high:
        raise RuleViolation("dateFrom is after dateTo", field="dateFrom")
    key_low = None if low is None else week_start(low).isoformat()
    if key_low is not None and high is not None:
        return SortKeyCondition.between(key_low, high.isoformat()), low, high
    if key_low is not None:
        return SortKeyCondition.ge(key_low), low, high
    if high is not None:
        return SortKeyCondition.le(high.isoformat()), low, high
    return None, low, high


def _within(low: date | None, high: date | None) -> Any:
    def keep(completion: Item) -> bool:
        day = completion_day(completion)
        return (low is None or day >= low) and (high is None or day <= high)

    return keep


async def list_completions_for_habit(
    ctx: ServiceContext,
    habit_id: str,
    date_from: str | None,
    date_to: str | None,
    limit: int | None,
    cursor: str | None = None,
) -> tuple[list[Item], str | None]:
    """Newest first; the owner or the goal's assigned mentor."""
    await require_readable_habit(ctx, habit_id)
    sk, low, high = _date_range(date_from, date_to)
    return await query_live(
        ctx,
        Table.HABIT_COMPLETIONS,
        habit_id,
        sk=sk,
        ascending=False,
        limit=limit,
        cursor=cursor,
        keep=_within(low, high),
    )


async def list_completions_for_user(
    ctx: ServiceContext,
    user_id: str,
    date_from: str | None,
    date_to: str | None,
    limit: int | None,
    cursor: str | None = None,
) -> tuple[list[Item], str | None]:
    """Newest first; the user themself only (mentors list completions habit by habit)."""
    access.require_self(ctx.require_viewer(), user_id, "these completions")
    sk, low, high = _date_range(date_from, date_to)
    return await query_live(
        ctx,
        Table.HABIT_COMPLETIONS,
        user_id,
        index="CompletionsByUser",
        sk=sk,
        ascending=False,
        limit=limit,
        cursor=cursor,
        keep=_within(low, high),
    )
