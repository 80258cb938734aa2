"""Forward-only schema migrations of the device database.

A ``schema_version`` table holds the version; each numbered step runs in its own transaction
together with the version bump, so a crash leaves the file at one version or the next. Steps
only ever add (tables, columns, indexes): none drops or empties the outbox or the
local rows, so an upgrade never loses a pending change and never forces a re-download
(sync-protocol §6). The steps are frozen SQL: the SQLModel classes in ``sync.models`` describe
the result, and a test checks the two agree.
"""

from __future__ import annotations

import sqlalchemy as sa

Step = tuple[str, ...]

_V1: Step = (
    """CREATE TABLE local_items (
        entity VARCHAR NOT NULL,
        key_json VARCHAR NOT NULL,
        data VARCHAR NOT NULL,
        version INTEGER,
        deleted BOOLEAN NOT NULL DEFAULT 0,
        updated_at VARCHAR NOT NULL,
        PRIMARY KEY (entity, key_json))""",
    """CREATE TABLE base_items (
        entity VARCHAR NOT NULL,
        key_json VARCHAR NOT NULL,
        data VARCHAR,
        version INTEGER,
        deleted BOOLEAN NOT NULL DEFAULT 0,
        PRIMARY KEY (entity, key_json))""",
    """CREATE TABLE outbox (
        mutation_id INTEGER NOT NULL PRIMARY KEY,
        entity VARCHAR NOT NULL,
        key_json VARCHAR NOT NULL,
        op VARCHAR NOT NULL,
        base_version INTEGER,
        fields VARCHAR,
        client_time VARCHAR NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at VARCHAR NOT NULL)""",
    "CREATE INDEX outbox_by_key ON outbox (entity, key_json, mutation_id)",
    """CREATE TABLE sync_state (
        id INTEGER NOT NULL PRIMARY KEY,
        client_id VARCHAR NOT NULL,
        user_id VARCHAR,
        server_url VARCHAR,
        access_token VARCHAR,
        refresh_token VARCHAR,
        cursor VARCHAR,
        last_mutation_id INTEGER NOT NULL DEFAULT 0,
        last_acked_mutation_id INTEGER NOT NULL DEFAULT 0,
        resetting BOOLEAN NOT NULL DEFAULT 0,
        clock_skew_seconds FLOAT,
        last_sync_at VARCHAR,
        blocked VARCHAR)""",
    """CREATE TABLE sync_issues (
        issue_id VARCHAR NOT NULL PRIMARY KEY,
        entity VARCHAR NOT NULL,
        key_json VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        field VARCHAR,
        mine VARCHAR,
        theirs VARCHAR,
        status VARCHAR NOT NULL DEFAULT 'OPEN',
        resolution VARCHAR,
        resolution_sent BOOLEAN NOT NULL DEFAULT 1,
        mutation_id INTEGER,
        version INTEGER,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL)""",
    "CREATE INDEX sync_issues_by_status ON sync_issues (status)",
)

_V2: Step = (
    # A reset re-download marks rows stale and drops those the server no longer sends.
    "ALTER TABLE local_items ADD COLUMN stale BOOLEAN NOT NULL DEFAULT 0",
    "CREATE INDEX local_items_stale ON local_items (stale) WHERE stale",
    # Display-only attributes of items created on the device (see sync.visible.PendingChange).
    "ALTER TABLE outbox ADD COLUMN local VARCHAR",
)

_V3: Step = (
    # Preferences that stay on this device and are never synced (e.g. reminder times).
    """CREATE TABLE device_settings (
        name VARCHAR NOT NULL PRIMARY KEY,
        value VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL)""",
)

_V4: Step = (
    # Reminders this device has shown, by occurrence key, so none rings twice (restarts too).
    """CREATE TABLE reminders_rung (
        key VARCHAR NOT NULL PRIMARY KEY,
        rung_at VARCHAR NOT NULL)""",
)

STEPS: tuple[Step, ...] = (_V1, _V2, _V3, _V4)
"""Step ``n`` (1-based) takes the database from version ``n - 1`` to ``n``. Append only."""

LATEST = len(STEPS)


class NewerSchema(RuntimeError):
    """The file was written by a newer Growlink: opening it with this one could lose data."""


def current_version(conn: sa.Connection) -> int:
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
    if version is None:
        conn.exec_driver_sql("INSERT INTO schema_version (version) VALUES (0)")
        return 0
    return int(version)


def migrate(engine: sa.Engine, *, target: int = LATEST) -> int:
    """Bring the database to ``target`` one step per transaction; returns the version reached."""
    with engine.begin() as conn:
        version = current_version(conn)
    if version > LATEST:
        raise NewerSchema(f"database schema {version} is newer than this app's ({LATEST})")
    while version < target:
        with engine.begin() as conn:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = current_version(conn)
            if version >= target:
                break
            for statement in STEPS[version]:
                conn.exec_driver_sql(statement)
            version += 1
            conn.exec_driver_sql("UPDATE schema_version SET version = ?", (version,))
    return version
