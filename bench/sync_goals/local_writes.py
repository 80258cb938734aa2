"""S1: a local write on the device, outbox entry included, beside raw sqlite3 doing the same."""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.figures import Figure, percentile
from sync import DeviceStore
from sync.wire import AuthSession

HABITS_FOR_S1 = 250
S1_KINDS = ("create_todo", "complete_habit", "write_reflection")


def local_writes(folder: Path, writes: int) -> dict[str, list[float]]:
    """A third each: ``create_todo``, ``complete_habit`` (a new completion: 250 habits x the
    last 7 days) and ``write_reflection`` of today (a PATCH), timed one by one, by kind."""
    today = datetime.now(UTC).date()
    with DeviceStore(folder / "s1-device.db") as store:
        store.adopt_session("http://bench.invalid", AuthSession("t", "r", str(uuid.uuid4())))
        goal = store.create_goal("Become a runner", identity="someone who runs")
        habits = [
            store.create_habit(goal["goalId"], f"habit {n}", duration=2)["habitId"]
            for n in range(HABITS_FOR_S1)
        ]
        store.write_reflection(today, "GOOD", text="a first line")
        latencies: dict[str, list[float]] = {kind: [] for kind in S1_KINDS}
        for i in range(writes):
            n = i // 3
            started = time.perf_counter()
            if i % 3 == 0:
                store.create_todo(f"todo {i}", priority="high")
            elif i % 3 == 1:
                day = today - timedelta(days=n // HABITS_FOR_S1 % 7)
                store.complete_habit(habits[n % HABITS_FOR_S1], day, notes="done")
            else:
                store.write_reflection(today, text=f"line {i}: what went well today")
            latencies[S1_KINDS[i % 3]].append(time.perf_counter() - started)
    return latencies


def raw_local_writes(folder: Path, writes: int) -> list[float]:
    """The floor: sqlite3 (WAL, synchronous=NORMAL as on the device) writing a row and an
    outbox row in one transaction, the JSON prepared beforehand."""
    conn = sqlite3.connect(folder / "s1-raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE items (entity TEXT, key_json TEXT, data TEXT, version INTEGER, "
        "updated_at TEXT, PRIMARY KEY (entity, key_json)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE outbox (mutation_id INTEGER PRIMARY KEY, entity TEXT, key_json TEXT, "
        "op TEXT, fields TEXT, client_time TEXT)"
    )
    rows = []
    for i in range(writes):
        key = json.dumps({"todoId": str(uuid.uuid4()), "userId": "u"})
        fields = json.dumps({"text": f"todo {i}", "priority": "high"})
        rows.append((key, fields, json.dumps({"text": f"todo {i}", "done": False})))
    latencies: list[float] = []
    now = datetime.now(UTC).isoformat()
    for i, (key, fields, data) in enumerate(rows, start=1):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT OR REPLACE INTO items VALUES ('TODO', ?, ?, NULL, ?)", (key, data, now)
        )
        conn.execute("INSERT INTO outbox VALUES (?, 'TODO', ?, 'PUT', ?, ?)", (i, key, fields, now))
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


def measure_local_writes(folder: Path, writes: int) -> list[Figure]:
    by_kind = local_writes(folder, writes)
    device = [seconds for latencies in by_kind.values() for seconds in latencies]
    raw = raw_local_writes(folder, writes)
    d50, d99 = statistics.median(device) * 1000, percentile(device, 0.99) * 1000
    r50, r99 = statistics.median(raw) * 1000, percentile(raw, 0.99) * 1000
    print(
        f"S1 local write incl. outbox: {writes:,} DeviceStore writes on a device file "
        "(create_todo / complete_habit / write_reflection patch, a third each)"
    )
    print(f"   DeviceStore: p50 {d50:.3f} ms  p99 {d99:.3f} ms")
    print(
        "   by kind, p50: "
        + ", ".join(
            f"{kind} {statistics.median(latencies) * 1000:.3f} ms"
            for kind, latencies in by_kind.items()
        )
        + "\n   (complete_habit reads the habit and the completion before it writes, "
        "write_reflection the day's reflection)"
    )
    print(
        "   floor (raw sqlite3 row + outbox row, one transaction): "
        f"p50 {r50:.3f} ms  p99 {r99:.3f} ms"
    )
    print(f"   ratio: p50 {d50 / r50:.1f}x  p99 {d99 / r99:.1f}x")
    return [
        Figure("S1 device", "local write p50", d50, "ms", r50, "<= 1 ms", d50 <= 1),
        Figure("S1 device", "local write p99", d99, "ms", r99, "<= 5 ms", d99 <= 5),
    ]
