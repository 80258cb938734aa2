"""How app tests put data into a device file: rows as a pull brings them from the server
(``from_server`` with the item builders below), and ``seed_goals``, a realistic device written
through the store's own local writes for the goals and habit screens."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.clock import FixedClock
from sync import DeviceStore, Entity
from sync.apply import apply_pull_page
from sync.entities import KEY_ATTRIBUTES
from sync.wire import PulledChange, PullPage
from tests.app.conftest import USER

HISTORY_DAYS = 300


def from_server(store: DeviceStore, entity: Entity, *items: Mapping[str, Any]) -> None:
    """Store ``items`` as one pulled page, confirmed (not pending), as the server sends them:
    ``_version`` 1 unless an item carries its own, ``_deleted`` false."""
    changes = []
    for item in items:
        key = {name: item[name] for name in KEY_ATTRIBUTES[entity]}
        version = int(item.get("_version", 1))
        data = {**item, "_version": version, "_deleted": False}
        changes.append(PulledChange(version, entity, key, version, False, data))
    with store.transaction() as conn:
        apply_pull_page(conn, PullPage(changes, "seeded", has_more=False), store.now())


# -- items as the server sends them --------------------------------------------------------


def habit(
    user_id: str,
    habit_id: str,
    title: str,
    *,
    frequency: str = "daily",
    status: str = "active",
    goal_id: str = "goal-1",
    created: str = "2026-01-05T08:00:00.000000Z",
    cue: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A ``HABIT``; its ``currentStreak`` is a wrong 99, to show the app counts its own."""
    return {
        "habitId": habit_id,
        "userId": user_id,
        "goalId": goal_id,
        "title": title,
        "frequency": frequency,
        "duration": 2,
        "status": status,
        "cue": cue or {},
        "currentStreak": 99,
        "createdAt": created,
        "updatedAt": created,
    }


def completions(user_id: str, habit_id: str, *days: dt.date) -> list[dict[str, Any]]:
    """``HABIT_COMPLETION`` items keyed by ``days`` (pass the Monday for a weekly habit)."""
    return [
        {
            "habitId": habit_id,
            "date": day.isoformat(),
            "userId": user_id,
            "completed": True,
            "completedOn": day.isoformat(),
        }
        for day in days
    ]


def user_profile(user_id: str, **fields: Any) -> dict[str, Any]:
    """The signed-in user's own ``USER`` item (Ana in Lisbon unless ``fields`` say else)."""
    return {
        "userId": user_id,
        "email": "ana@example.com",
        "name": "Ana Souza",
        "bio": "Learning to run",
        "timeZone": "Europe/Lisbon",
        **fields,
    }


def mentor_profile(user_id: str, name: str) -> dict[str, Any]:
    """A mentor's public ``USER`` item, as the change feed brings it to the mentee."""
    return {"userId": user_id, "name": name, "username": name.split()[0].lower(), "role": "MENTOR"}


def mentored_goal(goal_id: str, mentor_id: str, **fields: Any) -> dict[str, Any]:
    """A ``GOAL`` of USER with ``mentor_id`` as its mentor (titled by its id unless told)."""
    return {"goalId": goal_id, "userId": USER, "title": goal_id, "mentorId": mentor_id, **fields}


def shared_reflection(
    day: str, mentor_id: str, feedback: str, *, feedback_at: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A ``REFLECTION`` of USER shared with ``mentor_id``, who answered with ``feedback``."""
    note = {"mentorId": mentor_id, "feedback": feedback}
    if feedback_at is not None:
        note["createdAt"] = feedback_at
    return {
        "userId": USER,
        "date": day,
        "isShared": True,
        "sharedWithMentorId": mentor_id,
        "mentorFeedback": note,
        **fields,
    }


def sync_issue(issue_id: str, **fields: Any) -> dict[str, Any]:
    """An open ``SYNC_ISSUE`` of USER: by default a to-do text edit that lost a conflict."""
    return {
        "userId": USER,
        "issueId": issue_id,
        "entity": "TODO",
        "key": {"userId": USER, "todoId": "t1"},
        "code": "CONFLICT",
        "message": "Changed on another device meanwhile",
        "field": "text",
        "mine": {"text": "buy oat milk"},
        "theirs": {"text": "buy milk"},
        "status": "OPEN",
        "createdAt": "2026-11-24T09:00:00.000Z",
        "updatedAt": "2026-11-24T09:00:00.000Z",
        **fields,
    }


# -- a realistic device for the goals and habit screens ------------------------------------


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
    """Write three goals in different states and their habits as the user would have, starting
    ten months ago; the clock is back at its start afterwards. About one day in ten is missed,
    and a week of holiday, so the numbers (and the heatmap) are lifelike."""
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
    from_server(store, Entity.USER, mentor_profile("user-marta", "Marta Reis"))
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


# -- mentors and venues for booking ------------------------------------------------------


def mentor(user_id: str, name: str, **extra: Any) -> dict[str, Any]:
    """A mentor's public ``USER`` item (premium, 4.0, Python, running, Career)."""
    return {
        "userId": user_id,
        "name": name,
        "username": name.lower(),
        "role": "MENTOR",
        "bio": f"{name} mentors.",
        "skills": ["Python"],
        "interests": ["running"],
        "mentorshipCategories": [{"categoryId": "c1", "name": "Career"}],
        "membershipTier": "premium",
        "verified": False,
        "rating": 4.0,
        "totalSessions": 3,
        **extra,
    }


VENUES = (  # a gold partner in Lisbon, a plain cafe in Porto
    {
        "venueId": "v-gold",
        "name": "Lisbon Hub",
        "city": "Lisbon",
        "type": "co_working",
        "isPartner": True,
        "partnershipTier": "gold",
        "discountPercentage": 30,
    },
    {
        "venueId": "v-cafe",
        "name": "Porto Cafe",
        "city": "Porto",
        "type": "cafe",
        "isPartner": False,
        "discountPercentage": 0,
    },
)
