"""Opening the device's SQLite file: pragmas, explicit write transactions, migrations.

- WAL, so the app reads while a sync writes. ``synchronous=NORMAL`` by default: a commit
  survives the app being killed at any instant (the WAL is on disk before ``commit`` returns);
  only an OS crash or power cut can lose the last moments. ``durable=True`` selects FULL
  (fsync per commit, ~0.5 ms on the reference machine) for devices that want that too.
- Every transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock up front, so two
  processes (the app and ``growlink sync``) never interleave a read-modify-write of the
  mutation counter, and a lock wait happens at ``BEGIN``, never as a deadlock mid-way.
- The file may hold the account's tokens (where there is no OS keyring, see
  ``sync.token_keyring``), so it is created readable by its owner only (0600; SQLite gives its
  WAL and shared-memory files the same mode). ``secure_delete=FAST`` zeroes what a write frees
  within a page, so tokens moved to the keyring leave no copy in the file.
- WAL checkpoints run every ~10k pages instead of SQLite's 1k, keeping their fsync out of the
  p99 of local writes; the engine checkpoints passively after each sync.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .migrations import migrate

BUSY_TIMEOUT_MS = 10_000


def _private(path: Path) -> None:
    """Create ``path`` (and tighten an existing one) as readable and writable by its owner
    only: it may hold the refresh token."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def open_engine(path: str | Path, *, durable: bool = False) -> sa.Engine:
    """An engine on the device file with the pragmas above, migrated to the latest schema."""
    if str(path) != ":memory:":
        _private(Path(path))
    engine = sa.create_engine(
        f"sqlite:///{Path(path)}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=sa.pool.SingletonThreadPool,
    )
    synchronous = "FULL" if durable else "NORMAL"

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=10000")
        dbapi_connection.execute("PRAGMA secure_delete=FAST")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    migrate(engine)
    return engine
