"""The device database: SQLModel tables in the app's one SQLite file.

Invariants the sync code keeps (and the tests check):
- ``LocalItem`` is what the app sees: the base with the pending changes on top.
- ``BaseItem`` exists exactly while a key has outbox entries: it is the last server-confirmed
  copy the pending changes rest on (``data`` is null when the server has no copy yet). Keys
  without pending changes need no second copy: their ``LocalItem`` *is* the server's copy.
- ``OutboxEntry.mutation_id`` is issued from ``SyncState.last_mutation_id`` in the write's own
  transaction: strictly increasing by 1 per client id, never reused, never renumbered while
  the server may have seen it.
JSON columns hold compact JSON text (``sync.jsontext``); instants are ISO-8601 UTC strings.
"""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class LocalItem(SQLModel, table=True):
    """The visible row of one item (entity + canonical key)."""

    __tablename__ = "local_items"

    entity: str = Field(primary_key=True)
    key_json: str = Field(primary_key=True)
    data: str
    version: int | None = None
    deleted: bool = False
    updated_at: str
    stale: bool = False
    """Set while a reset re-download has not yet seen this row (migration 2)."""


class BaseItem(SQLModel, table=True):
    """The server-confirmed copy of an item with pending changes."""

    __tablename__ = "base_items"

    entity: str = Field(primary_key=True)
    key_json: str = Field(primary_key=True)
    data: str | None = None
    version: int | None = None
    deleted: bool = False


class OutboxEntry(SQLModel, table=True):
    """One local change waiting for the server's answer."""

    __tablename__ = "outbox"

    mutation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    entity: str
    key_json: str
    op: str
    base_version: int | None = None
    fields: str | None = None
    local: str | None = None
    """Display-only attributes of an item created on the device; never sent (migration 2)."""
    client_time: str
    attempts: int = 0
    created_at: str


class SyncState(SQLModel, table=True):
    """The device's one sync record (``id`` is always 1)."""

    __tablename__ = "sync_state"

    id: int = Field(default=1, primary_key=True)
    client_id: str
    user_id: str | None = None
    server_url: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    cursor: str | None = None
    last_mutation_id: int = 0
    last_acked_mutation_id: int = 0
    resetting: bool = False
    clock_skew_seconds: float | None = None
    last_sync_at: str | None = None
    blocked: str | None = None


class LocalSyncIssue(SQLModel, table=True):
    """A change the server rejected or could not merge, kept until the user resolves it."""

    __tablename__ = "sync_issues"

    issue_id: str = Field(primary_key=True)
    entity: str
    key_json: str
    code: str
    message: str
    field: str | None = None
    mine: str | None = None
    theirs: str | None = None
    status: str = "OPEN"
    resolution: str | None = None
    resolution_sent: bool = True
    mutation_id: int | None = None
    version: int | None = None
    created_at: str
    updated_at: str


class DeviceSetting(SQLModel, table=True):
    """A device-local preference (JSON ``value``), never sent to the server (migration 3)."""

    __tablename__ = "device_settings"

    name: str = Field(primary_key=True)
    value: str
    updated_at: str


class ReminderRung(SQLModel, table=True):
    """A reminder occurrence this device has shown (migration 4), kept so it never rings
    twice, across restarts too."""

    __tablename__ = "reminders_rung"

    key: str = Field(primary_key=True)
    rung_at: str


def table(model: type[SQLModel]) -> sa.Table:
    """The SQLAlchemy Core table of a model (the hot paths use Core, not the ORM session)."""
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


LOCAL_ITEMS = table(LocalItem)
BASE_ITEMS = table(BaseItem)
OUTBOX = table(OutboxEntry)
SYNC_STATE = table(SyncState)
SYNC_ISSUES = table(LocalSyncIssue)
DEVICE_SETTINGS = table(DeviceSetting)
REMINDERS_RUNG = table(ReminderRung)
