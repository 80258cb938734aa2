"""A world for the job runner's first tick: Maya's confirmed session with Ana, due for its
24 h reminder (it starts in 23 hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from backend.storage.engine import Engine
from backend.storage.tables import Table
from domain.clock import utc_iso


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


async def seed_due_session(engine: Engine) -> None:
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
