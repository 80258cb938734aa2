"""Reading and writing the visible rows and their bases inside the caller's transaction.

``settle`` is the one place a row's server-confirmed copy changes: it stores the new base,
then rebuilds the visible row from it and the key's still-pending outbox entries (or, when
none are left, makes the base itself the visible row and forgets the separate copy).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from . import jsontext
from .entities import Op
from .keys import key_of
from .models import BASE_ITEMS, LOCAL_ITEMS, OUTBOX
from .visible import PendingChange, Snapshot, visible_row

_b = sa.bindparam
_L, _B, _O = LOCAL_ITEMS.c, BASE_ITEMS.c, OUTBOX.c

_SELECT_LOCAL = sa.select(_L.data, _L.version, _L.deleted).where(
    _L.entity == _b("entity"), _L.key_json == _b("key_json")
)
_SELECT_BASE = sa.select(_B.data, _B.version, _B.deleted).where(
    _B.entity == _b("entity"), _B.key_json == _b("key_json")
)
_SELECT_PENDING = (
    sa.select(_O.op, _O.fields, _O.local)
    .where(_O.entity == _b("entity"), _O.key_json == _b("key_json"))
    .order_by(_O.mutation_id)
)
# ``stale`` (a reset has not re-delivered the row yet) is cleared only by a copy the server
# confirmed: a local write, or a push answer without the server's item, keeps the mark, so
# a row the server no longer has still goes when the reset ends.
_UPSERT_LOCAL = sa.text(
    """INSERT INTO local_items (entity, key_json, data, version, deleted, updated_at, stale)
       VALUES (:entity, :key_json, :data, :version, :deleted, :updated_at, 0)
       ON CONFLICT (entity, key_json) DO UPDATE SET data = excluded.data,
         version = excluded.version, deleted = excluded.deleted,
         updated_at = excluded.updated_at,
         stale = CASE WHEN :confirmed THEN 0 ELSE local_items.stale END"""
)
_DELETE_LOCAL = sa.delete(LOCAL_ITEMS).where(
    _L.entity == _b("entity"), _L.key_json == _b("key_json")
)
_UPSERT_BASE = sa.text(
    """INSERT INTO base_items (entity, key_json, data, version, deleted)
       VALUES (:entity, :key_json, :data, :version, :deleted)
       ON CONFLICT (entity, key_json) DO UPDATE SET data = excluded.data,
         version = excluded.version, deleted = excluded.deleted"""
)
_DELETE_BASE = sa.delete(BASE_ITEMS).where(_B.entity == _b("entity"), _B.key_json == _b("key_json"))


def _snapshot(row: sa.Row[Any, Any, Any] | None) -> Snapshot | None:
    if row is None or row.data is None:
        return None
    return Snapshot(jsontext.loads(row.data), row.version, bool(row.deleted))


def read_visible(conn: sa.Connection, entity: str, key_json: str) -> Snapshot | None:
    ids = {"entity": entity, "key_json": key_json}
    return _snapshot(conn.execute(_SELECT_LOCAL, ids).first())


def read_base(conn: sa.Connection, entity: str, key_json: str) -> tuple[bool, Snapshot | None]:
    """``(has_base, base)``: a key without pending changes has no separate base copy."""
    row = conn.execute(_SELECT_BASE, {"entity": entity, "key_json": key_json}).first()
    return (row is not None, _snapshot(row))


def server_copy(conn: sa.Connection, entity: str, key_json: str) -> Snapshot | None:
    """The last server-confirmed copy: the base when changes are pending, else the row itself."""
    has_base, base = read_base(conn, entity, key_json)
    return base if has_base else read_visible(conn, entity, key_json)


def pending_changes(conn: sa.Connection, entity: str, key_json: str) -> list[PendingChange]:
    rows = conn.execute(_SELECT_PENDING, {"entity": entity, "key_json": key_json})
    return [
        PendingChange(Op(op), jsontext.loads_object(fields), jsontext.loads_object(local))
        for op, fields, local in rows
    ]


def write_visible(
    conn: sa.Connection,
    entity: str,
    key_json: str,
    row: Snapshot | None,
    updated_at: str,
    *,
    confirmed: bool,
) -> None:
    """``confirmed``: the row is built on a copy the server just sent (see ``stale``)."""
    ids = {"entity": entity, "key_json": key_json}
    if row is None:
        conn.execute(_DELETE_LOCAL, ids)
        return
    conn.execute(
        _UPSERT_LOCAL,
        {
            **ids,
            "data": jsontext.dumps(row.data),
            "version": row.version,
            "deleted": row.deleted,
            "updated_at": updated_at,
            "confirmed": confirmed,
        },
    )


def write_base(conn: sa.Connection, entity: str, key_json: str, base: Snapshot | None) -> None:
    conn.execute(
        _UPSERT_BASE,
        {
            "entity": entity,
            "key_json": key_json,
            "data": None if base is None else jsontext.dumps(base.data),
            "version": None if base is None else base.version,
            "deleted": False if base is None else base.deleted,
        },
    )


def settle(
    conn: sa.Connection,
    entity: str,
    key_json: str,
    base: Snapshot | None,
    updated_at: str,
    *,
    confirmed: bool = True,
) -> Snapshot | None:
    """Make ``base`` the server-confirmed copy and rebuild the visible row; returns it.
    ``confirmed=False``: the server sent no copy (``base`` is the one the device had)."""
    pending = pending_changes(conn, entity, key_json)
    if pending:
        write_base(conn, entity, key_json, base)
        row = visible_row(base, key_of(key_json), pending)
    else:
        conn.execute(_DELETE_BASE, {"entity": entity, "key_json": key_json})
        row = base
    write_visible(conn, entity, key_json, row, updated_at, confirmed=confirmed)
    return row


def newer(candidate: Snapshot, than: Snapshot | None, *, or_same: bool = False) -> bool:
    """Whether a server copy should replace ``than``: versions only grow on the server.

    ``or_same``: the server's answer to our own change wins a tie (an item re-created after
    its tombstone expired starts again at version 1).
    """
    if than is None or than.version is None:
        return True
    if candidate.version is None:
        return False
    return candidate.version >= than.version if or_same else candidate.version > than.version
