"""Who sees an item: the feeds a committed change is appended to.

- Goals: the owner and the assigned mentor. Reflections: the owner and, while shared, the
  mentor named in ``sharedWithMentorId``. Sessions: mentor and mentee. Session feedback:
  mentee and mentor. Mentor notes: the mentor.
- The user alone for their habits, completions, todos, notifications, badges, event
  attendances, sync issues and their own Users item (companion items of the Users table,
  keyed ``#...`` or ``<id>#interest#...``, are nobody's).
- ``public`` for categories (not the ``#name#`` guards), venues and events.

Anything else (reviews, category links, the sync tables) is not synced.
"""

from __future__ import annotations

from ..storage.items import Item
from ..storage.tables import Table, is_person_key
from .poke import PUBLIC_FEED

PUBLIC_TABLES = (Table.CATEGORIES, Table.VENUES, Table.EVENTS)
_OWNED_BY_USER_ID = (
    Table.HABITS,
    Table.HABIT_COMPLETIONS,
    Table.TODOS,
    Table.NOTIFICATIONS,
    Table.BADGES,
    Table.EVENT_ATTENDANCES,
    Table.SYNC_ISSUES,
)


def audience(table: str, item: Item) -> list[str]:
    """The feed ids that see ``item`` (in a stable order, without repeats)."""
    found: list[str | None]
    if table in _OWNED_BY_USER_ID:
        found = [item.get("userId")]
    elif table == Table.GOALS:
        found = [item.get("userId"), item.get("mentorId")]
    elif table == Table.REFLECTIONS:
        shared = item.get("sharedWithMentorId") if item.get("isShared") else None
        found = [item.get("userId"), shared]
    elif table in (Table.SESSIONS, Table.SESSION_FEEDBACKS):
        found = [item.get("menteeId"), item.get("mentorId")]
    elif table == Table.MENTOR_SESSION_NOTES:
        found = [item.get("mentorId")]
    elif table == Table.USERS:
        user_id = str(item.get("userId", ""))
        found = [user_id] if is_person_key(user_id) else []
    elif table in PUBLIC_TABLES:
        key = item.get("categoryId") if table == Table.CATEGORIES else None
        found = [] if isinstance(key, str) and key.startswith("#") else [PUBLIC_FEED]
    else:
        found = []
    seen: list[str] = []
    for feed_id in found:
        if isinstance(feed_id, str) and feed_id and feed_id not in seen:
            seen.append(feed_id)
    return seen
