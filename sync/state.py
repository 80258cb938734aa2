"""The device's sync record: client id, cursor, acknowledged mutation id, server and tokens."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from .errors import SyncError
from .models import BASE_ITEMS, LOCAL_ITEMS, OUTBOX, SYNC_ISSUES, SYNC_STATE, SyncState
from .wire import AuthSession

_S = SYNC_STATE.c


def ensure(conn: sa.Connection) -> None:
    """Create the record with a fresh client id (UUIDv4) on a new device file."""
    exists = conn.execute(sa.select(_S.id).where(_S.id == 1)).first()
    if exists is None:
        conn.execute(sa.insert(SYNC_STATE).values(id=1, client_id=str(uuid.uuid4())))


def read(conn: sa.Connection) -> SyncState:
    row = conn.execute(sa.select(SYNC_STATE).where(_S.id == 1)).one()
    return SyncState.model_validate(dict(row._mapping))


def update(conn: sa.Connection, **values: Any) -> None:
    unknown = set(values) - set(SYNC_STATE.columns.keys())
    if unknown:
        raise ValueError(f"unknown sync state fields {sorted(unknown)}")
    conn.execute(sa.update(SYNC_STATE).where(_S.id == 1).values(**values))


def adopt_session(conn: sa.Connection, server_url: str, session: AuthSession) -> None:
    """Store the tokens of a sign-in. A different user on this device starts from an empty
    local copy and a new client id, which is refused while the previous user's changes are
    still waiting: they would be sent as the new user's."""
    record = read(conn)
    if record.user_id is not None and record.user_id != session.user_id:
        waiting = conn.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one()
        if waiting:
            raise SyncError(f"{waiting} changes of the previous user are not synced yet")
        for model in (LOCAL_ITEMS, BASE_ITEMS, SYNC_ISSUES):
            conn.execute(sa.delete(model))
        update(
            conn,
            client_id=str(uuid.uuid4()),
            cursor=None,
            last_mutation_id=0,
            last_acked_mutation_id=0,
            resetting=False,
        )
    update(
        conn,
        user_id=session.user_id,
        server_url=server_url,
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        blocked=None,
    )
