"""Storage benchmark: the SQLite engine beside raw sqlite3 doing the same work, in one run.

    python bench/storage.py [--items 100000] [--ops 20000]

Loads ``--items`` sessions (table with 4 GSIs) into each, then times ``--ops`` single puts
(one transaction each), GSI queries (limit 20) and gets. Prints ops/s, the ratio to raw
sqlite3, and query latency percentiles. Targets: puts and gets within 2x of raw sqlite3,
GSI query p50 under 0.5 ms at 100,000 items.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# `python bench/storage.py` puts bench/ on sys.path, not the project root (bench/).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.storage.sqlite_engine import SQLiteEngine
from bench.figures import percentile

STATUSES = ["PENDING", "CONFIRMED", "COMPLETED", "CANCELLED"]


def make_session(i: int, mentors: int) -> dict[str, Any]:
    rnd = random.Random(i)
    item: dict[str, Any] = {
        "sessionId": f"session-{i:08d}",
        "mentorId": f"mentor-{rnd.randrange(mentors):05d}",
        "menteeId": f"mentee-{rnd.randrange(mentors * 4):05d}",
        "type": rnd.choice(["virtual", "in_person"]),
        "date": f"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
        f"T{rnd.randrange(8, 20):02d}:00:00Z",
        "time": "14:00",
        "duration": 60,
        "status": rnd.choice(STATUSES),
        "price": 42.5,
        "topic": "Career growth and the next step",
        "feedbackEligible": False,
        "feedbackSubmitted": False,
        "createdAt": "2026-11-24T10:00:00.000000Z",
        "updatedAt": "2026-11-24T10:00:00.000000Z",
        "_version": 1,
    }
    if item["type"] == "in_person":
        item["venueId"] = f"venue-{rnd.randrange(200):04d}"
    return item


class RawSQLite:
    """The floor: a hand-written table with the item as JSON, key columns and 4 GSI indexes."""

    GSIS = [("mentorId", "date"), ("menteeId", "date"), ("status", "date"), ("venueId", "date")]

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        cols = ", ".join(f"g{n}_pk, g{n}_sk" for n in range(4))
        self.conn.execute(
            f"CREATE TABLE s (pk NOT NULL PRIMARY KEY, item TEXT NOT NULL, {cols}) WITHOUT ROWID"
        )
        for n in range(4):
            self.conn.execute(
                f"CREATE INDEX i{n} ON s (g{n}_pk, g{n}_sk, pk) WHERE g{n}_pk IS NOT NULL"
            )
        self.insert = f"INSERT OR REPLACE INTO s VALUES (?, ?, {', '.join('?' * 8)})"

    def row(self, item: dict[str, Any]) -> list[Any]:
        values: list[Any] = [item["sessionId"], json.dumps(item, separators=(",", ":"))]
        for pk, sk in self.GSIS:
            values += [item.get(pk), item.get(sk)] if pk in item else [None, None]
        return values

    def load(self, items: list[dict[str, Any]]) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany(self.insert, [self.row(i) for i in items])
        self.conn.execute("COMMIT")

    def put(self, item: dict[str, Any]) -> None:
        self.conn.execute(self.insert, self.row(item))

    def get(self, session_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT item FROM s WHERE pk = ?", (session_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def query(self, mentor_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT item FROM s WHERE g0_pk = ? ORDER BY g0_sk, pk LIMIT 20", (mentor_id,)
        ).fetchall()
        return [json.loads(r[0]) for r in rows]


def timed(fn: Callable[[int], object], n: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - start, latencies


async def atimed(fn: Callable[[int], Any], n: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        await fn(i)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - start, latencies


async def run(items: int, ops: int) -> None:
    mentors = max(1, items // 50)
    seed = [make_session(i, mentors) for i in range(items)]
    fresh = [make_session(items + i, mentors) for i in range(ops)]
    mentor_ids = [f"mentor-{random.Random(i).randrange(mentors):05d}" for i in range(ops)]
    get_ids = [f"session-{random.Random(-i).randrange(items):08d}" for i in range(ops)]

    with tempfile.TemporaryDirectory() as tmp:
        raw = RawSQLite(Path(tmp) / "raw.db")
        engine = SQLiteEngine(Path(tmp) / "engine.db")

        t0 = time.perf_counter()
        raw.load(seed)
        raw_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        await engine.put_many("Sessions", seed)
        engine_load = time.perf_counter() - t0

        results: dict[str, tuple[tuple[float, list[float]], tuple[float, list[float]]]] = {}
        results["put"] = (
            timed(lambda i: raw.put(fresh[i]), ops),
            await atimed(lambda i: engine.put("Sessions", fresh[i]), ops),
        )
        results["GSI query (limit 20)"] = (
            timed(lambda i: raw.query(mentor_ids[i]), ops),
            await atimed(
                lambda i: engine.query(
                    "Sessions", mentor_ids[i], index="SessionsByMentor", limit=20
                ),
                ops,
            ),
        )
        results["get"] = (
            timed(lambda i: raw.get(get_ids[i]), ops),
            await atimed(lambda i: engine.get("Sessions", {"sessionId": get_ids[i]}), ops),
        )
        await engine.close()

    print(
        f"SQLite engine vs raw sqlite3: {items:,} preloaded items, {ops:,} ops each, "
        "table Sessions (4 GSIs)"
    )
    print(
        f"bulk load: raw {items / raw_load:,.0f} items/s, "
        f"engine {items / engine_load:,.0f} items/s, "
        f"ratio {engine_load / raw_load:.2f}x"
    )
    header = (
        f"{'operation':<22}{'raw ops/s':>12}{'engine ops/s':>14}{'ratio':>8}{'raw p50 ms':>12}"
        f"{'engine p50 ms':>15}{'engine p99 ms':>15}"
    )
    print(header)
    for name, ((raw_s, raw_lat), (eng_s, eng_lat)) in results.items():
        print(
            f"{name:<22}{ops / raw_s:>12,.0f}{ops / eng_s:>14,.0f}{eng_s / raw_s:>7.2f}x"
            f"{statistics.median(raw_lat) * 1000:>12.3f}{statistics.median(eng_lat) * 1000:>15.3f}"
            f"{percentile(eng_lat, 0.99) * 1000:>15.3f}"
        )
    put_ratio = results["put"][1][0] / results["put"][0][0]
    get_ratio = results["get"][1][0] / results["get"][0][0]
    query_p50 = statistics.median(results["GSI query (limit 20)"][1][1]) * 1000
    print(
        f"targets: put within 2x -> {'met' if put_ratio <= 2 else 'MISSED'} ({put_ratio:.2f}x); "
        f"get within 2x -> {'met' if get_ratio <= 2 else 'MISSED'} ({get_ratio:.2f}x); "
        f"GSI query p50 < 0.5 ms -> {'met' if query_p50 < 0.5 else 'MISSED'} ({query_p50:.3f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--ops", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(run(args.items, args.ops))


if __name__ == "__main__":
    main()
