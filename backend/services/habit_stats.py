"""Habit streaks, completion rates and goal progress, computed when read.

The numbers depend on the owner's local "today", so they change when days pass without any
write: the read path computes them from the habit's completions (``domain.streaks``) and is
authoritative. Completions store the day they were done in ``completedOn`` (for a weekly habit
``date`` is the Monday of its ISO week), and that actual day is what the rules count.

Reads go through the request's loaders: one completions query per habit however many fields
(``currentStreak``, ``longestStreak``, ``completionRate``, ``Goal.progress``) ask for it. A
habit whose writes left a summary of its settled periods (``SETTLED_ATTR``,
``domain.settled_streaks``) is read from that summary's cutoff on, so a dashboard costs the
same after years of history as in the first week; and while the habit has not been written
since its last completion change, the days from the cutoff on come from the habit itself
(``RECENT_ATTR``), so it needs no completions query at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from domain.clock import local_today, parse_utc
from domain.goals import goal_progress
from domain.habits import period_of
from domain.settled_streaks import Settled, completed_periods, settled_until, streaks
from domain.streaks import HabitStats, habit_stats, last_days_history

from ..storage.items import Item
from .context import ServiceContext
from .today import user_today

SETTLED_ATTR = "#settledStreaks"
"""The habit's summary of its settled periods (written with each completion, read by every
statistic); ``#`` keeps it off every device."""
RECENT_ATTR = "#recentDays"
"""Beside the summary: the days of the habit's completions from the summary's cutoff on, and
the habit version that wrote them. Every change of a completion rewrites both in the same
transaction, so while the habit keeps that version its figures need no completion read."""


def completion_day(completion: Mapping[str, Any]) -> date:
    """The local day the habit was actually done (``date`` is the period for weekly habits)."""
    return date.fromisoformat(str(completion.get("completedOn") or completion["date"]))


def completed_days(completions: Iterable[Mapping[str, Any]]) -> list[date]:
    """``completion_day`` of each completed one, in one loop (a habit may have hundreds)."""
    day = date.fromisoformat
    return [day(str(c.get("completedOn") or c["date"])) for c in completions if c.get("completed")]


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


def stored_summary(habit: Mapping[str, Any]) -> Settled | None:
    """The habit's summary of its settled periods as stored, if any (not yet checked)."""
    return Settled.from_item(habit.get(SETTLED_ATTR))


def summary_serves(
    settled: Settled, habit: Mapping[str, Any], *, created: date, today: date
) -> bool:
    """Whether ``settled`` still holds for the habit as it is on the owner's ``today`` (not
    after a change of frequency, of creation day, or a "today" gone back); ``created`` is
    the habit's ``created_on``."""
    frequency = str(habit["frequency"])
    return settled.serves(
        frequency=frequency,
        first=period_of(created, frequency),
        until=settled_until(today, frequency),
    )


def stats_from_summary(
    settled: Settled, recent_days: Iterable[date], *, created: date, today: date
) -> HabitStats:
    """The statistics from the summary and the days of the completions from its cutoff on
    (the same numbers as ``stats_of`` over every completion); ``created`` is the habit's
    ``created_on``."""
    periods = completed_periods(recent_days, today=today, frequency=settled.frequency)
    return streaks(settled, periods, created_on=created, today=today)


def recent_days_item(
    settled: Settled, completions: Iterable[Mapping[str, Any]], *, version: int
) -> dict[str, Any]:
    """``RECENT_ATTR`` for the habit at ``version``: the completion days from the cutoff on."""
    cutoff = settled.until.isoformat()
    recent = [c for c in completions if str(c["date"]) >= cutoff]
    days = sorted(day.isoformat() for day in completed_days(recent))
    return {"version": version, "from": cutoff, "days": days}


def stored_recent_days(habit: Mapping[str, Any], settled: Settled) -> list[date] | None:
    """The completion days from ``settled``'s cutoff on as the habit's last completion change
    left them, or None when the habit changed since (another version: an edit, or a server
    that does not keep them) or they belong to another cutoff."""
    record = habit.get(RECENT_ATTR)
    if (
        not isinstance(record, Mapping)
        or record.get("version") != habit.get("_version")
        or record.get("from") != settled.until.isoformat()
        or not isinstance(record.get("days"), list)
    ):
        return None
    try:
        return [date.fromisoformat(str(day)) for day in record["days"]]
    except ValueError:
        return None


def stats_payload(
    habit_id: str, stats: HabitStats, history: list[tuple[date, bool]]
) -> dict[str, Any]:
    """The ``HabitStats`` GraphQL object."""
    return {
        "habitId": habit_id,
        "currentStreak": stats.current_streak,
        "longestStreak": stats.longest_streak,
        "completionRate": stats.completion_rate,
        "totalCompletions": stats.total_completions,
        "last30Days": [{"date": day.isoformat(), "completed": done} for day, done in history],
    }


def _stats_key(habit: Mapping[str, Any]) -> tuple[str, str, Any]:
    return ("habit-stats", habit["habitId"], habit.get("_version"))


def known_stats(ctx: ServiceContext, habit: Mapping[str, Any]) -> HabitStats | None:
    """The habit's statistics if this request has computed them already, else None."""
    found = ctx.memo.get(_stats_key(habit))
    return found if isinstance(found, HabitStats) else None


async def read_stats(ctx: ServiceContext, habit: Mapping[str, Any]) -> HabitStats:
    """The habit's statistics as of the owner's local today, computed once per request
    (the memo holds the computation while it runs, then its result)."""
    key = _stats_key(habit)
    found = ctx.memo.get(key)
    if isinstance(found, HabitStats):
        return found
    if found is None:
        found = ctx.memo[key] = asyncio.ensure_future(_compute_stats(ctx, habit))
    stats: HabitStats = await found
    ctx.memo[key] = stats
    return stats


async def prepare_stats(ctx: ServiceContext, habits: Iterable[Mapping[str, Any]]) -> None:
    """Compute the statistics of many habits at once (one batch of owners, one of
    completions), so their fields answer from the memo without waiting (``known_stats``)."""
    wanted = [habit for habit in habits if _stats_key(habit) not in ctx.memo]
    if not wanted:
        return
    # Every load asked for before one wait for all: both loaders dispatch in the same turn.
    owner_loads = {h["userId"]: ctx.loaders.user.load(h["userId"]) for h in wanted}
    summaries = [stored_summary(habit) for habit in wanted]
    kept_days = [
        None if settled is None else stored_recent_days(habit, settled)
        for habit, settled in zip(wanted, summaries, strict=True)
    ]
    completion_loads = [
        None if days is not None else _completions_load(ctx, habit, settled)
        for habit, settled, days in zip(wanted, summaries, kept_days, strict=True)
    ]
    await asyncio.gather(*owner_loads.values(), *filter(None, completion_loads))
    today_of = {
        owner_id: (loading.result(), user_today(ctx, loading.result()))
        for owner_id, loading in owner_loads.items()
    }
    for habit, settled, days, loading in zip(
        wanted, summaries, kept_days, completion_loads, strict=True
    ):
        owner, today = today_of[habit["userId"]]
        completions = loading.result() if loading is not None else []
        if settled is None:
            ctx.memo[_stats_key(habit)] = stats_of(habit, completions, owner=owner, today=today)
            continue
        created = created_on(habit, owner)
        if summary_serves(settled, habit, created=created, today=today):
            recent = days if days is not None else completed_days(completions)
            stats = stats_from_summary(settled, recent, created=created, today=today)
            ctx.memo[_stats_key(habit)] = stats
        # else: a summary that no longer holds (rare); read_stats reads the whole history


def _completions_load(
    ctx: ServiceContext, habit: Mapping[str, Any], settled: Settled | None
) -> asyncio.Future[list[Item]]:
    """The load of the completions the statistics need: from the summary's cutoff, or all."""
    if settled is None:
        return ctx.loaders.completions_by_habit.load(habit["habitId"])
    return ctx.loaders.completions_from.load((habit["habitId"], settled.until.isoformat()))


async def read_stats_payload(ctx: ServiceContext, habit: Mapping[str, Any]) -> dict[str, Any]:
    """The ``HabitStats`` object of ``getHabitStats``: the numbers and the last 30 days."""
    stats = await read_stats(ctx, habit)
    owner, completions = await _owner_and_completions(ctx, habit)
    history = last_days_history(completed_days(completions), today=user_today(ctx, owner))
    return stats_payload(habit["habitId"], stats, history)


async def _owner_and_completions(
    ctx: ServiceContext, habit: Mapping[str, Any]
) -> tuple[Item | None, list[Item]]:
    owner, completions = await asyncio.gather(
        ctx.loaders.user.load(habit["userId"]),
        ctx.loaders.completions_by_habit.load(habit["habitId"]),
    )
    return owner, completions


async def _compute_stats(ctx: ServiceContext, habit: Mapping[str, Any]) -> HabitStats:
    settled = stored_summary(habit)
    if settled is not None:
        days = stored_recent_days(habit, settled)
        if days is None:
            owner, recent = await asyncio.gather(
                ctx.loaders.user.load(habit["userId"]), _completions_load(ctx, habit, settled)
            )
            days = completed_days(recent)
        else:
            owner = await ctx.loaders.user.load(habit["userId"])
        today, created = user_today(ctx, owner), created_on(habit, owner)
        if summary_serves(settled, habit, created=created, today=today):
            return stats_from_summary(settled, days, created=created, today=today)
    owner, completions = await _owner_and_completions(ctx, habit)
    return stats_of(habit, completions, owner=owner, today=user_today(ctx, owner))


def known_goal_progress(ctx: ServiceContext, goal: Mapping[str, Any]) -> int | None:
    """The goal's progress if its habits and their statistics are known, else None."""
    habits = ctx.loaders.habits_by_goal.known(goal["goalId"])
    if habits is None:
        return None
    rates: list[float] = []
    for habit in habits:
        stats = known_stats(ctx, habit)
        if stats is None:
            return None
        rates.append(stats.completion_rate)
    return goal_progress(rates)


async def read_goal_progress(ctx: ServiceContext, goal: Mapping[str, Any]) -> int:
    """Mean completion rate of all the goal's habits (``domain.goals.goal_progress``)."""
    habits = await ctx.loaders.habits_by_goal.load(goal["goalId"])
    stats = await asyncio.gather(*(read_stats(ctx, habit) for habit in habits))
    return goal_progress([s.completion_rate for s in stats])


async def prepare_goals(
    ctx: ServiceContext, goals: list[Any], *, habits: bool, stats: bool
) -> None:
    """Read the habits of all ``goals`` in one batch and, if ``stats``, their statistics:
    a goal list whose query asks for them then completes without a wait per goal."""
    if not goals or not (habits or stats):
        return
    lists = await ctx.loaders.habits_by_goal.load_many([goal["goalId"] for goal in goals])
    if stats:
        await prepare_stats(ctx, [habit for found in lists for habit in found])
