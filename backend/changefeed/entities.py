"""Which table holds each of the wire's entities (the names and keys are ``protocol``'s)."""

from __future__ import annotations

from protocol.entities import KEY_ATTRIBUTES, Entity

from ..storage.tables import Table

TABLE_OF_ENTITY: dict[str, Table] = {
    Entity.GOAL: Table.GOALS,
    Entity.HABIT: Table.HABITS,
    Entity.HABIT_COMPLETION: Table.HABIT_COMPLETIONS,
    Entity.REFLECTION: Table.REFLECTIONS,
    Entity.TODO: Table.TODOS,
    Entity.NOTIFICATION: Table.NOTIFICATIONS,
    Entity.SESSION: Table.SESSIONS,
    Entity.USER: Table.USERS,
    Entity.CATEGORY: Table.CATEGORIES,
    Entity.VENUE: Table.VENUES,
    Entity.EVENT: Table.EVENTS,
    Entity.EVENT_ATTENDANCE: Table.EVENT_ATTENDANCES,
    Entity.BADGE: Table.BADGES,
    Entity.SESSION_FEEDBACK: Table.SESSION_FEEDBACKS,
    Entity.MENTOR_SESSION_NOTES: Table.MENTOR_SESSION_NOTES,
    Entity.SYNC_ISSUE: Table.SYNC_ISSUES,
}
"""Keyed by ``Entity`` (a ``str``, so a wire string looks up the same)."""
ENTITY_OF_TABLE: dict[str, Entity] = {
    table: Entity(entity) for entity, table in TABLE_OF_ENTITY.items()
}


def parse_wire_key(entity: Entity | str, key: object) -> dict[str, str] | None:
    """``key`` if it is exactly the entity's wire key with non-empty string values, else None."""
    if not isinstance(key, dict) or set(key) != set(KEY_ATTRIBUTES[Entity(entity)]):
        return None
    if not all(isinstance(v, str) and v and len(v) <= 1024 for v in key.values()):
        return None
    return {str(k): str(v) for k, v in key.items()}
