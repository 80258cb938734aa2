"""``aiInsights`` of a weekly reflection: the user's own habits, completions and moods read
on their indexes, turned into sentences by ``domain.insights`` (no network needed), then
reworded by the optional provider (``insight_wording``) when one is configured."""

from __future__ import annotations

from datetime import date, timedelta

from domain.clock import parse_local_date
from domain.habits import HabitFrequency, HabitStatus
from domain.insights import BASELINE_DAYS, WEEK, HabitRecord, weekly_insights

from ..errors import NotFound
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item
from ..storage.tables import Table
from .context import ServiceContext
from .habit_stats import completion_day, created_on
from .insight_wording import WordingProvider, reworded
from .pages import all_live
from .writes import Changes, retrying

LOOKBACK_DAYS = WEEK + BASELINE_DAYS


async def insights_text(ctx: ServiceContext, user: Item, day: date) -> str | None:
    """The sentences for the week ending on ``day`` (the user's local day), one a line;
    None when there is nothing honest to say yet."""
    user_id = str(user["userId"])
    first = (day - timedelta(days=LOOKBACK_DAYS - 1)).isoformat()
    window = SortKeyCondition.between(first, day.isoformat())
    habits = await all_live(ctx, Table.HABITS, user_id, index="HabitsByUser")
    completions = await all_live(
        ctx, Table.HABIT_COMPLETIONS, user_id, index="CompletionsByUser", sk=window
    )
    reflections = await all_live(ctx, Table.REFLECTIONS, user_id, sk=window)
    done: dict[str, set[date]] = {}
    for completion in completions:
        if completion.get("completed"):  # an un-done check keeps its item, completed false
            done.setdefault(str(completion["habitId"]), set()).add(completion_day(completion))
    records = [
        HabitRecord(
            str(habit.get("title") or "a habit"),
            created_on(habit, user),
            frozenset(done.get(str(habit["habitId"]), ())),
        )
        for habit in habits
        if habit.get("frequency") == HabitFrequency.DAILY
        and habit.get("status", HabitStatus.ACTIVE) == HabitStatus.ACTIVE
    ]
    moods = {
        date.fromisoformat(r["date"]): int(r["moodScore"])
        for r in reflections
        if isinstance(r.get("moodScore"), int)
    }
    sentences = weekly_insights(records, moods, day)
    if not sentences:
        return None
    return await reworded("\n".join(sentences), WordingProvider.from_env())


@retrying
async def refresh_insights(ctx: ServiceContext, date_text: str) -> Item:
    """The owner asks again (``refreshReflectionInsights``): recompute and store."""
    viewer = ctx.require_viewer()
    day = parse_local_date(date_text, field="date")
    key = {"userId": viewer.user_id, "date": day.isoformat()}
    current = await ctx.store.get(Table.REFLECTIONS, key)
    user = await ctx.store.get(Table.USERS, {"userId": viewer.user_id})
    if current is None or current.get("_deleted") or user is None:
        raise NotFound("you have no reflection on this date")
    changes = Changes(ctx)
    updated = changes.update(
        Table.REFLECTIONS, current, {"aiInsights": await insights_text(ctx, user, day)}
    )
    await changes.commit()
    return updated
