"""What per-field profile visibility costs: a mentor with N sessions reads mentees' profiles.

The first personal field in a request reads the viewer's circle (her sessions as mentor and
as mentee, the goals she mentors) once; the rest of the request reuses it. Run:

    .venv/bin/python -m bench.profile_visibility [N]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from backend.app import create_app
from backend.auth.tokens import TokenIssuer
from backend.services.context import Services
from backend.storage.sqlite_engine import SQLiteEngine
from domain.clock import FixedClock

SECRET = "bench-secret-" + "x" * 40
START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

LIST = "{ listUsersByRole(role: MENTEE, limit: 100) { userId name %s } }"
PERSONAL = "email timeZone location interests"


def user(user_id: str, role: str) -> dict[str, object]:
    return {
        "userId": user_id,
        "email": f"{user_id}@example.com",
        "username": user_id[:12],
        "name": "Someone",
        "role": role,
        "membershipTier": "standard",
        "verified": False,
        "rating": 0.0,
        "totalSessions": 0,
        "inPersonSessions": 0,
        "skills": [],
        "interests": ["Climbing"],
        "location": "Lisbon",
        "timeZone": "Europe/Lisbon",
        "createdAt": "2026-11-01T00:00:00.000000Z",
        "updatedAt": "2026-11-01T00:00:00.000000Z",
        "_version": 1,
    }


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteEngine(Path(folder) / "store.db")
        clock = FixedClock(START)
        tokens = TokenIssuer(SECRET, clock)
        mentor_id = str(uuid.uuid4())
        await store.put("Users", user(mentor_id, "MENTOR"))
        for day in range(n):
            mentee_id = str(uuid.uuid4())
            await store.put("Users", user(mentee_id, "MENTEE"))
            await store.put(
                "Sessions",
                {
                    "sessionId": str(uuid.uuid4()),
                    "mentorId": mentor_id,
                    "menteeId": mentee_id,
                    "date": f"2026-{1 + day % 10:02d}-{1 + day % 28:02d}T10:00:00.000000Z",
                    "time": "10:00",
                    "type": "virtual",
                    "duration": 60,
                    "status": "COMPLETED",
                    "price": 0.0,
                    "_version": 1,
                    "createdAt": "2026-11-01T00:00:00.000000Z",
                    "updatedAt": "2026-11-01T00:00:00.000000Z",
                },
            )
        app = create_app(Services(store=store, clock=clock, tokens=tokens))
        headers = {"Authorization": f"Bearer {tokens.issue(mentor_id).access_token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for label, fields in (("public fields only", ""), ("with personal fields", PERSONAL)):
                times = []
                for _ in range(30):
                    began = time.perf_counter()
                    answer = await client.post(
                        "/graphql", json={"query": LIST % fields}, headers=headers
                    )
                    times.append(time.perf_counter() - began)
                    assert not answer.json().get("errors")
                print(
                    f"listUsersByRole(MENTEE, 100) as a mentor with {n} sessions, {label}: "
                    f"p50 {statistics.median(times) * 1000:.1f} ms"
                )
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
