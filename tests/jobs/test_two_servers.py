"""Two `growlink-server serve` processes on one SQLite file: one runner leads, and a session
due for its 24 h reminder gets it once, to each participant."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from backend.jobs.lease import LEASE_KEY
from backend.storage.sqlite_engine import SQLiteEngine
from backend.storage.tables import Table
from tests.jobs.due_session import seed_due_session

DEADLINE_SECONDS = 120.0


async def seed(db: Path) -> None:
    engine = SQLiteEngine(db)
    await seed_due_session(engine)
    await engine.close()


async def reminders(db: Path) -> dict[str, int]:
    engine = SQLiteEngine(db)
    try:
        return {
            person: len((await engine.query(Table.NOTIFICATIONS, person)).items)
            for person in ("maya", "ana")
        }
    finally:
        await engine.close()


async def lease_holder(db: Path) -> str | None:
    engine = SQLiteEngine(db)
    try:
        item = await engine.get(Table.SYNC_STATE, LEASE_KEY)
        return None if item is None else str(item["holder"])
    finally:
        await engine.close()


def test_two_server_processes_send_the_reminder_once(tmp_path: Path, server_process: Any) -> None:
    db = tmp_path / "two.db"
    asyncio.run(seed(db))
    first, second = server_process(db), server_process(db)
    try:
        give_up = time.monotonic() + DEADLINE_SECONDS
        while asyncio.run(reminders(db)) == {"maya": 0, "ana": 0}:
            assert time.monotonic() < give_up, "no reminder was sent"
            time.sleep(0.2)
        time.sleep(2.0)  # let the other process's first tick pass too
        assert asyncio.run(reminders(db)) == {"maya": 1, "ana": 1}
        holder = asyncio.run(lease_holder(db))
        assert holder is not None and holder.startswith("process-")
    finally:
        first.stop()
        second.stop()
