"""What syncs: the wire's entity names, their key fields, and which ones a device may write.

The names are the SDL enums ``SyncEntity`` and ``ChangeOp`` (backend/api/schema/sync.graphql);
the key fields are each table's primary key as the wire carries it (docs/sync-protocol.md),
except notifications, which travel keyed by ``notificationId``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Entity(StrEnum):
    GOAL = "GOAL"
    HABIT = "HABIT"
    HABIT_COMPLETION = "HABIT_COMPLETION"
    REFLECTION = "REFLECTION"
    TODO = "TODO"
    NOTIFICATION = "NOTIFICATION"
    SESSION = "SESSION"
    USER = "USER"
    CATEGORY = "CATEGORY"
    VENUE = "VENUE"
    EVENT = "EVENT"
    EVENT_ATTENDANCE = "EVENT_ATTENDANCE"
    BADGE = "BADGE"
    SESSION_FEEDBACK = "SESSION_FEEDBACK"
    MENTOR_SESSION_NOTES = "MENTOR_SESSION_NOTES"
    SYNC_ISSUE = "SYNC_ISSUE"


class Op(StrEnum):
    """PUT = the whole item (create, or replace the fields the client owns); PATCH = changed
    fields only; DELETE = tombstone."""

    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


KEY_ATTRIBUTES: dict[Entity, tuple[str, ...]] = {
    Entity.GOAL: ("goalId",),
    Entity.HABIT: ("habitId",),
    Entity.HABIT_COMPLETION: ("habitId", "date"),
    Entity.REFLECTION: ("userId", "date"),
    Entity.TODO: ("userId", "todoId"),
    Entity.NOTIFICATION: ("notificationId",),
    Entity.SESSION: ("sessionId",),
    Entity.USER: ("userId",),
    Entity.CATEGORY: ("categoryId",),
    Entity.VENUE: ("venueId",),
    Entity.EVENT: ("eventId",),
    Entity.EVENT_ATTENDANCE: ("eventId", "userId"),
    Entity.BADGE: ("userId", "earnedAt"),
    Entity.SESSION_FEEDBACK: ("sessionId",),
    Entity.MENTOR_SESSION_NOTES: ("sessionId",),
    Entity.SYNC_ISSUE: ("userId", "issueId"),
}
"""The fields of each entity's ``key`` on the wire."""

DEVICE_OPS: dict[Entity, frozenset[Op]] = {
    Entity.GOAL: frozenset(Op),
    Entity.HABIT: frozenset(Op),
    Entity.HABIT_COMPLETION: frozenset(Op),
    Entity.REFLECTION: frozenset(Op),
    Entity.TODO: frozenset(Op),
    Entity.NOTIFICATION: frozenset({Op.PATCH}),
    Entity.SESSION: frozenset({Op.PUT}),
}
"""The entities a device writes through its outbox and the operations each allows; every other
entity is a read-only cache filled by pull."""


def wire_key(entity: Entity | str, item: Mapping[str, Any]) -> dict[str, Any]:
    """The item's key as the wire carries it."""
    # ``Entity(member)`` costs microseconds (the enum's metaclass call): an initial sync makes
    # 50,000 keys, so a member is used as it is.
    member = entity if isinstance(entity, Entity) else Entity(entity)
    return {name: item[name] for name in KEY_ATTRIBUTES[member]}
