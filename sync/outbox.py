"""The outbox: local changes in mutation-id order, kept until the server answers for them.

Ids come from ``SyncState.last_mutation_id`` in the writing transaction, so they are strictly
increasing by 1 and never reused, across restarts. An entry is sent again after a lost
answer with the same id (the server answers DUPLICATE), and leaves only when a result for it
is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from . import jsontext
from .entities import Entity, Op
from .models import OUTBOX, SYNC_STATE

_b = sa.bindparam
_O = OUTBOX.c

_NEXT_ID = sa.text(
    "UPDATE sync_state SET last_mutation_id = last_mutation_id + 1 WHERE id = 1"
    " RETURNING last_mutation_id"
)
_TAIL = sa.select(OUTBOX).order_by(_O.mutation_id.desc()).limit(1)
_INSERT = sa.insert(OUTBOX)
_MERGE_INTO_TAIL = (
    sa.update(OUTBOX)
    .where(_O.mutation_id == _b("mid"), _O.attempts == 0)
    .values(fields=_b("new_fields"), client_time=_b("new_client_time"))
)
_OLDEST = sa.select(OUTBOX).order_by(_O.mutation_id).limit(_b("limit"))
_COUNT = sa.select(sa.func.count()).select_from(OUTBOX)


@dataclass(frozen=True)
class Entry:
    """An outbox entry as the push sends it."""

    mutation_id: int
    entity: Entity
    key_json: str
    op: Op
    base_version: int | None
    fields: dict[str, Any] | None
    client_time: str
    attempts: int

    @classmethod
    def from_row(cls, row: sa.Row[Any]) -> Entry:
        return cls(
            mutation_id=row.mutation_id,
            entity=Entity(row.entity),
            key_json=row.key_json,
            op=Op(row.op),
            base_version=row.base_version,
            fields=jsontext.loads_object(row.fields),
            client_time=row.client_time,
            attempts=row.attempts,
        )


def append(
    conn: sa.Connection,
    *,
    entity: Entity,
    key_json: str,
    op: Op,
    base_version: int | None,
    fields: Mapping[str, Any] | None,
    local: Mapping[str, Any] | None,
    now: str,
) -> int:
    """Queue one change; returns its mutation id.

    A PATCH right behind a never-sent PATCH of the same key (the newest entry of the whole
    outbox) is merged into it instead: same result on the server, one change fewer, and no id
    is skipped because none is taken. Anything already sent is never touched, and a PUT stays
    as it is (it may create the item, and a create takes only the create input's fields).
    """
    tail = conn.execute(_TAIL).first() if op is Op.PATCH else None
    if (
        tail is not None
        and tail.attempts == 0
        and tail.entity == entity
        and tail.key_json == key_json
        and tail.op == Op.PATCH
    ):
        merged = {**(jsontext.loads_object(tail.fields) or {}), **(fields or {})}
        params = {"mid": tail.mutation_id, "new_fields": jsontext.dumps(merged)}
        conn.execute(_MERGE_INTO_TAIL, {**params, "new_client_time": now})
        return int(tail.mutation_id)
    mutation_id = int(conn.execute(_NEXT_ID).scalar_one())
    conn.execute(
        _INSERT,
        {
            "mutation_id": mutation_id,
            "entity": entity.value,
            "key_json": key_json,
            "op": op.value,
            "base_version": base_version,
            "fields": None if fields is None else jsontext.dumps(dict(fields)),
            "local": None if not local else jsontext.dumps(dict(local)),
            "client_time": now,
            "attempts": 0,
            "created_at": now,
        },
    )
    return mutation_id


def take_batch(conn: sa.Connection, limit: int) -> list[Entry]:
    """The next ``limit`` entries to send, oldest first, counting the attempt."""
    batch = [Entry.from_row(row) for row in conn.execute(_OLDEST, {"limit": limit})]
    if batch:
        ids = [entry.mutation_id for entry in batch]
        conn.execute(
            sa.update(OUTBOX).where(_O.mutation_id.in_(ids)).values(attempts=_O.attempts + 1)
        )
    return batch


def remove(conn: sa.Connection, mutation_id: int) -> None:
    conn.execute(sa.delete(OUTBOX).where(_O.mutation_id == mutation_id))


def rebase(conn: sa.Connection, entry: Entry, version: int) -> None:
    """Our ``entry`` applied cleanly as ``version``: later changes of the key made on the same
    base were made on top of it, so they now rest on ``version`` (they are sent in a later
    request, or again after a lost answer, with the version they really build on)."""
    same_base = (
        _O.base_version.is_(None)
        if entry.base_version is None
        else _O.base_version == entry.base_version
    )
    conn.execute(
        sa.update(OUTBOX)
        .where(
            _O.entity == entry.entity.value,
            _O.key_json == entry.key_json,
            _O.mutation_id > entry.mutation_id,
            same_base,
        )
        .values(base_version=version)
    )


def count(conn: sa.Connection) -> int:
    return int(conn.execute(_COUNT).scalar_one())


def renumber(conn: sa.Connection) -> int:
    """Give the pending entries the ids 1..n in their order and restart the counter at n.

    Only for a new client id (the server lost our record, see ``SyncEngine``): ids are per
    client id, and none of these entries was applied under the new one.
    """
    ids: Sequence[int] = (
        conn.execute(sa.select(_O.mutation_id).order_by(_O.mutation_id)).scalars().all()
    )
    offset = (max(ids) if ids else 0) + 1
    # Two passes so no new id collides with an old one still in the table.
    conn.execute(sa.update(OUTBOX).values(mutation_id=_O.mutation_id + offset, attempts=0))
    for new_id, old_id in enumerate(ids, start=1):
        conn.execute(
            sa.update(OUTBOX).where(_O.mutation_id == old_id + offset).values(mutation_id=new_id)
        )
    conn.execute(sa.update(SYNC_STATE).values(last_mutation_id=len(ids), last_acked_mutation_id=0))
    return len(ids)
