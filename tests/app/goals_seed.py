"""A realistic device for the goals and habit screens: three goals in different states and a
habit with about ten months of completions (the heatmap has something to show)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from domain.clock import FixedClock
from sync import DeviceStore, Entity
from sync.wire import PulledChange
from tests.sync.test_sync_store import pull_into

HISTORY_DAYS = 300


@dataclass(frozen=True)
class SeededGoals:
    active_goal: str
    draft_goal: str
    pending_goal: str
    reading: str
    """The daily habit with ten months of history."""
    stretch: str
    """A weekly habit of the active goal."""
    journal: str
    """A habit of the draft goal, no completions."""


def seed_goals(store: DeviceStore, clock: FixedClock) -> SeededGoals:
    """Write the goals and habits as the user would have, starting ten months ago; the clock
    is back at its start afterwards. About one day in ten is missed, and a week of holiday,
    so the numbers are lifelike."""
    now = clock.now()
    clock.set(now - dt.timedelta(days=HISTORY_DAYS))
    active = store.create_goal(
        "Read more",
        identity="I want to become a reader who opens a book every day",
        description="Fiction and non-fiction, a few pages at a time.",
    )["goalId"]
    reading = store.create_habit(
        active,
        "Read two pages",
        duration=2,
        cue={"time": "after breakfast", "place": "on the sofa", "context": "with my tea"},
        reward="A square of dark chocolate",
    )["habitId"]
    stretch = store.create_habit(active, "Stretch for two minutes", frequency="weekly", duration=2)[
        "habitId"
    ]
    store.patch(Entity.GOAL, {"goalId": active}, {"status": "active"})
    start = (now - dt.timedelta(days=HISTORY_DAYS)).date()
    misses = random.Random(2026)  # fixed seed: the same history every run
    for offset in range(HISTORY_DAYS):
        day = start + dt.timedelta(days=offset)
        on_holiday = 120 <= offset < 128
        if not on_holiday and misses.random() > 0.1:
            store.complete_habit(reading, day)
        if offset % 7 == 2 and misses.random() > 0.15:
            store.complete_habit(stretch, day)
    clock.set(now - dt.timedelta(days=3))
    pull_mentor(store, "user-marta", "Marta Reis")
    pending = store.create_goal(
        "Run a 5k",
        identity="I want to become a runner who moves every morning",
        mentor_id="user-marta",
    )["goalId"]
    store.patch(Entity.GOAL, {"goalId": pending}, {"status": "pending_approval"})
    store.create_habit(pending, "Put on running shoes", duration=1)
    clock.set(now - dt.timedelta(hours=2))
    draft = store.create_goal(
        "Write a journal",
        identity="I want to become someone who notices the good in a day",
    )["goalId"]
    journal = store.create_habit(
        draft, "Write one line", duration=1, cue={"time": "21:30", "place": "in bed"}
    )["habitId"]
    clock.set(now)
    return SeededGoals(active, draft, pending, reading, stretch, journal)


def pull_mentor(store: DeviceStore, user_id: str, name: str, *, seq: int = 1) -> None:
    """A mentor's public profile, as a pull brings it to the device."""
    item = {"userId": user_id, "name": name, "username": name.split()[0].lower(), "role": "MENTOR"}
    pull_into(store, PulledChange(seq, Entity.USER, {"userId": user_id}, 1, False, item))
