"""Jobs benchmark: one pass of the server's background jobs over a large SQLite store.

    python bench/jobs.py [--users 10000] [--sessions 50000] [--quick]

Loads ``--users`` users in ten time zones and ``--sessions`` sessions spread over 30 days
either side of the pass's instant (Sunday 2026-11-29 20:00 UTC, so the Sunday reminder is due
for the users whose evening has come). Runs one pass (which sends), then a second one (which
must send nothing), and prints for each: the time, the notifications sent, and the storage
calls per user by kind. A scan in the counts would mean a job reads a table an index answers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

# `python bench/jobs.py` puts bench/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.auth.tokens import TokenIssuer
from backend.jobs.runner import run_due_jobs
from backend.services.context import Services
from backend.storage.base import Store
from backend.storage.sqlite_engine import SQLiteEngine
from backend.storage.tables import Table
from domain.clock import FixedClock, utc_iso

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
ZONES = [
    "UTC",
    "Asia/Dubai",  # midnight at the pass: its users get the day-badge check
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Kiritimati",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
]
STATUSES = ["PENDING", "CONFIRMED", "CONFIRMED", "COMPLETED", "CANCELLED"]


class CountingStore:
    """The engine, with every call counted by method name (the figure the jobs are judged by)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr
        counted: Callable[..., Any] = attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return counted(*args, **kwargs)

        return call


def make_user(i: int) -> dict[str, Any]:
    role = "MENTOR" if i % 5 == 0 else "MENTEE"
    return {
        "userId": f"user-{i:06d}",
        "email": f"user{i}@bench.test",
        "username": f"user{i}",
        "name": f"User {i}",
        "role": role,
        "timeZone": ZONES[i % len(ZONES)],
        "createdAt": utc_iso(NOW - timedelta(days=60, seconds=i)),
        "_version": 1,
    }


def make_session(i: int, users: int) -> dict[str, Any]:
    rnd = random.Random(i)
    mentor = rnd.randrange(0, users, 5)
    mentee = rnd.randrange(users)
    start = NOW + timedelta(minutes=rnd.randrange(-30 * 24 * 60, 30 * 24 * 60))
    start = start.replace(minute=0, second=0)
    status = rnd.choice(STATUSES)
    item: dict[str, Any] = {
        "sessionId": f"session-{i:08d}",
        "mentorId": f"user-{mentor:06d}",
        "menteeId": f"user-{mentee:06d}",
        "type": "virtual",
        "date": utc_iso(start),
        "time": start.strftime("%H:%M"),
        "duration": 60,
        "status": status,
        "topic": "Career growth",
        "createdAt": utc_iso(start - timedelta(days=3)),
        "_version": 2,
    }
    if status == "COMPLETED":
        item["completedAt"] = utc_iso(start + timedelta(hours=1))
    return item


async def load(path: Path, users: int, sessions: int) -> None:
    engine = SQLiteEngine(path)
    await engine.put_many(Table.USERS, [make_user(i) for i in range(users)])
    await engine.put_many(Table.SESSIONS, [make_session(i, users) for i in range(sessions)])
    await engine.close()


async def one_pass(path: Path, users: int, label: str) -> None:
    clock = FixedClock(NOW)
    store = CountingStore(SQLiteEngine(path))
    services = Services(
        store=cast(Store, store), clock=clock, tokens=TokenIssuer("bench-" + "x" * 40, clock)
    )
    started = time.perf_counter()
    counts = await run_due_jobs(services, holder="bench")
    elapsed = time.perf_counter() - started
    await store.inner.close()
    assert counts is not None
    total = sum(store.calls.values())
    kinds = ", ".join(f"{name} {n / users:.2f}" for name, n in sorted(store.calls.items()))
    print(f"{label}: {elapsed:.2f} s, sent {counts}")
    print(f"  storage calls: {total} = {total / users:.2f} per user ({kinds} per user)")
    print(f"  scans: {store.calls['scan']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="200 users, 1,000 sessions")
    args = parser.parse_args()
    users, sessions = (200, 1_000) if args.quick else (args.users, args.sessions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "jobs.db"
        started = time.perf_counter()
        asyncio.run(load(path, users, sessions))
        print(
            f"loaded {users} users and {sessions} sessions in {time.perf_counter() - started:.1f} s"
        )
        asyncio.run(one_pass(path, users, "first pass (sends)"))
        asyncio.run(one_pass(path, users, "second pass (nothing left to send)"))


if __name__ == "__main__":
    main()
