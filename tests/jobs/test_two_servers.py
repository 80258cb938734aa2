"""Two `growlink-server serve` processes on one SQLite file: one runner leads, and a session
due for its 24 h reminder gets it once, to each participant."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from backend.jobs.lease import LEASE_KEY
from backend.storage.sqlite_engine import SQLiteEngine
from backend.storage.tables import Table
from domain.clock import utc_iso

DEADLINE_SECONDS = 120.0


def user(user_id: str, role: str) -> dict[str, Any]:
    return {
        "userId": user_id,
        "email": f"{user_id}@example.com",
        "username": user_id,
        "name": user_id,
        "role": role,
        "timeZone": "UTC",
        "createdAt": "2026-01-01T00:00:00.000000Z",
        "_version": 1,
    }


async def seed(db: Path) -> None:
    engine = SQLiteEngine(db)
    await engine.put_many(Table.USERS, [user("maya", "MENTOR"), user("ana", "MENTEE")])
    start = (datetime.now(UTC) + timedelta(hours=23)).replace(second=0, microsecond=0)
    await engine.put(
        Table.SESSIONS,
        {
            "sessionId": "s1",
            "mentorId": "maya",
            "menteeId": "ana",
            "type": "virtual",
            "date": utc_iso(start),
            "time": start.strftime("%H:%M"),
            "duration": 60,
            "status": "CONFIRMED",
            "createdAt": utc_iso(start - timedelta(days=2)),
            "_version": 2,
        },
    )
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
