"""Rows on a device file as if a pull had brought them (confirmed, not pending), and the
changes the app queued, for the app's state and view tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sync import DeviceStore, Entity
from sync import apply as sync_apply
from sync.entities import KEY_ATTRIBUTES
from sync.wire import PulledChange, PullPage

_seq = iter(range(1, 10**9))


def pulled(store: DeviceStore, entity: Entity, *items: dict[str, Any]) -> None:
    """Store ``items`` as the server's version 1, in one pull page."""
    changes = []
    for item in items:
        key = {name: item[name] for name in KEY_ATTRIBUTES[entity]}
        seq = next(_seq)
        changes.append(PulledChange(seq, entity, key, 1, False, {**item, "_version": 1}))
    with store.transaction() as conn:
        sync_apply.apply_pull_page(conn, PullPage(changes, str(seq), has_more=False), store.now())


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
    """Completed items keyed by ``days`` (pass the Monday for a weekly habit)."""
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


def outbox_ops(store: DeviceStore) -> list[tuple[str, str, str]]:
    """(entity, op, fields JSON) of every queued change, oldest first."""
    with store.transaction(publish=False) as conn:
        return [
            (r.entity, r.op, r.fields)
            for r in conn.exec_driver_sql(
                "SELECT entity, op, fields FROM outbox ORDER BY mutation_id"
            )
        ]
