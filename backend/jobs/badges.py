"""Badges that need a day to pass: consistency over the 30 days that ended yesterday.

A completion awards the badge as it happens; this job looks again once each user's local day
has turned (in its first hour), over days that can no longer change, so a badge earned by
the passing of time (or by completions merged from a device) is not missed. Users are read
on ``UsersByRole``; a key per user and day makes the check once a day.
"""

from __future__ import annotations

from datetime import timedelta

from domain.badges import CONSISTENCY_DAYS, consistency_badge, daily_completion_ratios
from domain.clock import local_today, require_aware, zone
from domain.habits import HabitFrequency, HabitStatus

from ..errors import WriteConflict
from ..services.badges import award_badges
from ..services.context import ServiceContext, Services
from ..services.habit_stats import completion_day, created_on
from ..services.pages import all_live
from ..services.users import ROLES
from ..services.writes import Changes
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item
from ..storage.tables import Table
from .pages import index_items
from .sent import record_key, was_sent

CHECK_HOUR = 0
"""The local hour in which yesterday is checked (the runner wakes every minute)."""


async def _check_user(ctx: ServiceContext, user: Item, key: str) -> int:
    """Award the consistency badge for the 30 days ending yesterday; record ``key`` either way."""
    yesterday = local_today(ctx.clock.now(), str(user.get("timeZone") or "UTC")) - timedelta(1)
    start = yesterday - timedelta(days=CONSISTENCY_DAYS - 1)
    user_id = str(user["userId"])
    habits = await all_live(ctx, Table.HABITS, user_id, index="HabitsByUser")
    daily = [
        (str(h["habitId"]), created_on(h, user))
        for h in habits
        if h.get("frequency") == HabitFrequency.DAILY and h.get("status") == HabitStatus.ACTIVE
    ]
    award = None
    if daily and min(created for _, created in daily) <= start:
        completions = await all_live(
            ctx,
            Table.HABIT_COMPLETIONS,
            user_id,
            index="CompletionsByUser",
            sk=SortKeyCondition.between(start.isoformat(), yesterday.isoformat()),
        )
        done = {(str(c["habitId"]), completion_day(c)) for c in completions if c.get("completed")}
        ratios = daily_completion_ratios(daily, done, yesterday)
        award = None if ratios is None else consistency_badge(ratios)
    changes = Changes(ctx)
    badges = []
    if award is not None:
        current = await ctx.store.get(Table.USERS, {"userId": user_id})
        if current is not None:
            badges = await award_badges(changes, current, award)
    record_key(changes, user_id, key)
    try:
        await changes.commit()
    except WriteConflict:
        return 0
    return len(badges)


async def award_day_badges(services: Services) -> int:
    now = require_aware(services.clock.now())
    ctx = ServiceContext(services, None)
    awarded = 0
    for role in ROLES:
        async for user in index_items(services.store, Table.USERS, "UsersByRole", role):
            time_zone = str(user.get("timeZone") or "UTC")
            if now.astimezone(zone(time_zone)).hour != CHECK_HOUR:
                continue
            day = local_today(now, time_zone)
            key = f"day_badges:{day.isoformat()}"
            if await was_sent(services, str(user["userId"]), key):
                continue
            awarded += await _check_user(ctx, user, key)
    return awarded
