"""A user's history for the benchmarks: a goal with five daily habits, and for each past day
the five habits' completions, one todo and one daily reflection (seven items a day), up to
yesterday.

Written in-process straight into the store, before the servers that will serve it start,
through the server's own write path (``Changes``: stamps, versions, change-feed entries),
several days per transaction and with the clock set to each day. The devices' pushChanges
would take a request per item and refuse completions older than a week; this takes about a
second per 10,000 items on SQLite. The last day's completions go through the service itself
(``complete_habit``), so each habit holds the summary of its settled periods that a habit
ticked every day holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from backend.auth.tokens import TokenIssuer
from backend.services import completions, goals, habits
from backend.services.context import ServiceContext, Services, Viewer
from backend.services.writes import Changes
from backend.storage.base import Store
from backend.storage.tables import Table
from domain.clock import FixedClock

HABITS_PER_USER = 5
ITEMS_PER_DAY = HABITS_PER_USER + 2  # the completions, a todo, a reflection
DAYS_PER_COMMIT = 6  # 42 items and their 42 feed entries: under 100 actions a transaction
MOODS = ("GREAT", "GOOD", "NEUTRAL", "BAD")


@dataclass(frozen=True)
class History:
    """What was written for one user: the habits a device can tick today, and the count."""

    user_id: str
    habit_ids: list[str]
    items: int


def history_days(items: int) -> int:
    return -(-items // ITEMS_PER_DAY)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


async def seed_history(store: Store, user_id: str, items: int, today: date) -> History:
    """About ``items`` items (whole days) over the days before ``today``; with 0, only the
    goal and its habits, created today."""
    days = history_days(items)
    first, last = today - timedelta(days=days), today - timedelta(days=1)
    clock = FixedClock(_noon(first))
    services = Services(store=store, clock=clock, tokens=TokenIssuer("bench-" + "x" * 42, clock))
    ctx = ServiceContext(services, Viewer(user_id))
    goal = await goals.create_goal(ctx, {"title": "Run a 10k", "identity": "a runner"})
    habit_ids = []
    for n in range(HABITS_PER_USER):
        habit = await habits.create_habit(
            ctx,
            {"goalId": goal["goalId"], "title": f"Habit {n}", "frequency": "daily", "duration": 2},
        )
        habit_ids.append(str(habit["habitId"]))
    for start in range(0, days, DAYS_PER_COMMIT):
        batch = [
            first + timedelta(days=d) for d in range(start, min(days, start + DAYS_PER_COMMIT))
        ]
        clock.set(_noon(batch[-1]))
        changes = Changes(ctx)
        for day in batch:
            _write_day(changes, user_id, habit_ids if day < last else [], day)
        await changes.commit()
    if days:  # the clock is at the last day's noon
        for habit_id in habit_ids:
            await completions.complete_habit(ctx, habit_id, last.isoformat())
    return History(user_id, habit_ids, days * ITEMS_PER_DAY)


def _write_day(changes: Changes, user_id: str, habit_ids: list[str], day: date) -> None:
    """The day's items, shaped as the services write them (completions.complete_habit,
    todos.create_todo, reflections.create_daily)."""
    iso = day.isoformat()
    for habit_id in habit_ids:
        changes.create(
            Table.HABIT_COMPLETIONS,
            {
                "habitId": habit_id,
                "date": iso,
                "userId": user_id,
                "completed": True,
                "completedOn": iso,
            },
        )
    changes.create(
        Table.TODOS,
        {
            "userId": user_id,
            "todoId": str(uuid.uuid4()),
            "text": f"Errand of {iso}",
            "priority": "MEDIUM",
            "done": True,
        },
    )
    n = day.toordinal()
    changes.create(
        Table.REFLECTIONS,
        {
            "userId": user_id,
            "date": iso,
            "reflectionId": str(uuid.uuid4()),
            "goalId": None,
            "isShared": False,
            "sharedWithMentorId": None,
            "mood": MOODS[n % 4],
            "moodScore": 3 + n % 7,
            "text": "Kept the streak; the morning run felt easier than last week.",
        },
    )
