"""The wire's ``SyncEntity`` names, their tables, and item keys as the wire carries them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..storage.items import Item

TABLE_OF_ENTITY: dict[str, str] = {
    "GOAL": "Goals",
    "HABIT": "Habits",
    "HABIT_COMPLETION": "HabitCompletions",
    "REFLECTION": "Reflections",
    "TODO": "Todos",
    "NOTIFICATION": "Notifications",
    "SESSION": "Sessions",
    "USER": "Users",
    "CATEGORY": "Categories",
    "VENUE": "Venues",
    "EVENT": "Events",
    "EVENT_ATTENDANCE": "EventAttendances",
    "BADGE": "Badges",
    "SESSION_FEEDBACK": "SessionFeedbacks",
    "MENTOR_SESSION_NOTES": "MentorSessionNotes",
    "SYNC_ISSUE": "SyncIssues",
}
ENTITY_OF_TABLE: dict[str, str] = {table: entity for entity, table in TABLE_OF_ENTITY.items()}

WIRE_KEY_NAMES: dict[str, tuple[str, ...]] = {
    "GOAL": ("goalId",),
    "HABIT": ("habitId",),
    "HABIT_COMPLETION": ("habitId", "date"),
    "REFLECTION": ("userId", "date"),
    "TODO": ("userId", "todoId"),
    "NOTIFICATION": ("notificationId",),  # stored under (userId, createdAt)
    "SESSION": ("sessionId",),
    "USER": ("userId",),
    "CATEGORY": ("categoryId",),
    "VENUE": ("venueId",),
    "EVENT": ("eventId",),
    "EVENT_ATTENDANCE": ("eventId", "userId"),
    "BADGE": ("userId", "earnedAt"),
    "SESSION_FEEDBACK": ("sessionId",),
    "MENTOR_SESSION_NOTES": ("sessionId",),
    "SYNC_ISSUE": ("userId", "issueId"),
}


def wire_key(entity: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """The item's key as the wire carries it."""
    return {name: item[name] for name in WIRE_KEY_NAMES[entity]}


def parse_wire_key(entity: str, key: object) -> dict[str, str] | None:
    """``key`` if it is exactly the entity's wire key with non-empty string values, else None."""
    if not isinstance(key, dict) or set(key) != set(WIRE_KEY_NAMES[entity]):
        return None
    if not all(isinstance(v, str) and v and len(v) <= 1024 for v in key.values()):
        return None
    return {str(k): str(v) for k, v in key.items()}


def table_key(entity: str, item: Item) -> dict[str, Any]:
    """The item's storage key (differs from the wire key for notifications)."""
    if entity == "NOTIFICATION":
        return {"userId": item["userId"], "createdAt": item["createdAt"]}
    return wire_key(entity, item)
