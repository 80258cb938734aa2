"""Storing what the server answered: push results and pulled pages, each in one transaction.

Both paths go through ``rows.settle``: the server's item becomes the base, and the visible
row is rebuilt as base + the key's still-pending changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from protocol.statuses import ChangeStatus

from . import issues, jsontext, outbox, rows, state
from .entities import Entity
from .keys import canonical_key
from .models import BASE_ITEMS
from .outbox import Entry
from .visible import Snapshot
from .wire import PullPage, PushPayload

_ROLLED_BACK = (ChangeStatus.REJECTED, ChangeStatus.CONFLICT)


@dataclass
class PushTally:
    applied: int = 0
    merged: int = 0
    duplicate: int = 0
    rejected: int = 0
    conflict: int = 0

    @property
    def acknowledged(self) -> int:
        return self.applied + self.merged + self.duplicate + self.rejected + self.conflict


def server_snapshot(item: dict[str, Any] | None, version: int | None) -> Snapshot | None:
    if item is None:
        return None
    return Snapshot(item, item.get("_version", version), bool(item.get("_deleted", False)))


def apply_push(
    conn: sa.Connection, batch: Sequence[Entry], payload: PushPayload, now: str
) -> PushTally:
    """Store each result: new base, entry gone, row rebuilt; rejections roll back and are kept."""
    tally = PushTally()
    by_id = {entry.mutation_id: entry for entry in batch}
    for result in payload.results:
        entry = by_id.pop(result.mutation_id, None)
        if entry is None:  # not ours in this batch (a server answering twice): nothing to do
            continue
        outbox.remove(conn, entry.mutation_id)
        current = rows.server_copy(conn, entry.entity.value, entry.key_json)
        server = server_snapshot(result.item, result.version)
        base = server if server and rows.newer(server, current, or_same=True) else current
        if result.status is ChangeStatus.APPLIED and server is not None and server.version:
            outbox.rebase(conn, entry, server.version)
        if result.status in _ROLLED_BACK:
            issues.record_rejection(conn, entry, result, now)
        rows.settle(
            conn, entry.entity.value, entry.key_json, base, now, confirmed=server is not None
        )
        _count(tally, result.status)
    state.update(conn, last_acked_mutation_id=payload.last_mutation_id)
    return tally


def _count(tally: PushTally, status: ChangeStatus) -> None:
    name = status.value.lower()
    setattr(tally, name, getattr(tally, name) + 1)


# Driver-level SQL with positional rows: a 5,000-change page skips SQLAlchemy's per-row
# parameter processing, which cost as much as the upsert itself (bench/sync.py, S2).
_UPSERT_PULLED = """
       INSERT INTO local_items (entity, key_json, data, version, deleted, updated_at, stale)
       VALUES (?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT (entity, key_json) DO UPDATE SET
         data = CASE WHEN newer THEN excluded.data ELSE data END,
         version = CASE WHEN newer THEN excluded.version ELSE version END,
         deleted = CASE WHEN newer THEN excluded.deleted ELSE deleted END,
         updated_at = CASE WHEN newer THEN excluded.updated_at ELSE updated_at END,
         stale = 0""".replace(
    "newer", "(local_items.version IS NULL OR excluded.version > local_items.version)"
)


def apply_pull_page(conn: sa.Connection, page: PullPage, now: str) -> None:
    """Store one page and its cursor.

    Keys with pending changes (they have a base) go through ``settle`` so the local edits stay
    on top; every other row is upserted in bulk, only where the version is newer, so applying
    a page twice (a crash before the cursor was stored) changes nothing.
    """
    pending = {
        (e, k) for e, k in conn.execute(sa.select(BASE_ITEMS.c.entity, BASE_ITEMS.c.key_json))
    }
    bulk: list[tuple[str, str, str, int, bool, str]] = []
    for change in page.changes:
        if change.entity is Entity.SYNC_ISSUE:
            if change.item is not None:
                issues.upsert_from_server(conn, change.item, change.version)
            continue
        entity = change.entity.value  # once: an enum's ``.value`` is a Python-level property
        key_json = canonical_key(change.entity, change.key)
        data = change.item if change.item is not None else dict(change.key)
        if (entity, key_json) in pending:
            snap = Snapshot(data, change.version, change.deleted)
            base = rows.read_base(conn, entity, key_json)[1]
            if rows.newer(snap, base):
                rows.settle(conn, entity, key_json, snap, now)
            continue
        bulk.append(
            (
                entity,
                key_json,
                jsontext.dumps(data),
                change.version,
                change.deleted,
                data.get("_lastChangedAt") or now,
            )
        )
    if bulk:
        conn.exec_driver_sql(_UPSERT_PULLED, bulk)
    state.update(conn, cursor=page.cursor)
    if not page.has_more and state.read(conn).resetting:
        _finish_reset(conn)


def begin_reset(conn: sa.Connection) -> None:
    """The cursor is too old: pull everything again into the bases, keeping the outbox."""
    conn.exec_driver_sql("UPDATE local_items SET stale = 1")
    state.update(conn, cursor=None, resetting=True)


def _finish_reset(conn: sa.Connection) -> None:
    """Drop the rows the re-download did not bring, unless they have pending changes."""
    conn.exec_driver_sql(
        """DELETE FROM local_items WHERE stale AND NOT EXISTS (
             SELECT 1 FROM base_items b
             WHERE b.entity = local_items.entity AND b.key_json = local_items.key_json)"""
    )
    state.update(conn, resetting=False)
