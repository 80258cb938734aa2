"""Distinct instants for sort keys that are timestamps (``Notifications.createdAt``,
``Badges.earnedAt``), found one way: from what is stored and what the change already queued.

Two items of one user at the same instant would share a key, and the guarded create of the
second would fail for ever under a clock that does not move (tests, or two items in one
change). The latest stored key (tombstones included: their keys are taken too) and the keys
queued in the same ``Changes`` are read, and ``domain.clock.first_free_instant`` picks the next
one. Across processes a clash is a lost race, and the operation is retried on fresh data.
"""

from __future__ import annotations

from datetime import datetime

from domain.clock import first_free_instant, parse_utc

from ..storage.tables import Table
from .writes import Changes

TIMESTAMP_KEYS: dict[Table, str] = {Table.NOTIFICATIONS: "createdAt", Table.BADGES: "earnedAt"}
"""Tables keyed (userId, instant), and their instant attribute."""


async def next_instant(changes: Changes, table: Table, user_id: str) -> datetime:
    """The first instant from now on that no item of ``user_id`` in ``table`` has."""
    attr = TIMESTAMP_KEYS[table]
    stored = await changes.ctx.store.query(table, user_id, ascending=False, limit=1)
    queued = [
        w.item for w in changes.written if w.table == table and w.item.get("userId") == user_id
    ]
    taken = [parse_utc(item[attr], attr) for item in [*stored.items, *queued]]
    return first_free_instant(changes.ctx.clock.now(), taken)
