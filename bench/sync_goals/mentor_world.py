"""S2's world: a mentor and the mentees who share goals and daily reflections with them,
seeded through ``pushChanges`` once and cached as a server file by item count."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.sync_goals.devices import bench_server
from harness.accounts import sign_up
from sync import Entity, GqlRemote, Op
from sync.wire import ChangeIn, ChangeStatus

ROOT = Path(__file__).resolve().parents[2]
SEED_FORMAT = 1  # bump when the seeded world changes: old cache files are then ignored
ITEMS_PER_MENTEE = 500  # one pushChanges batch each
GOALS_PER_MENTEE = 25
INDEX_LAG_SECONDS = 10  # backend.changefeed.runtime.SyncSettings.index_lag


def mentee_changes(mentee_id: str, mentor_id: str, count: int) -> list[ChangeIn]:
    """A mentee's offline work as a device pushes it: goals the mentor is assigned to, then a
    daily reflection shared with the mentor for each of the ``count - goals`` days before today."""
    goals = min(GOALS_PER_MENTEE, count)
    today = datetime.now(UTC).date()
    changes = [
        ChangeIn(
            n + 1,
            Entity.GOAL,
            {"goalId": str(uuid.uuid4())},
            Op.PUT,
            None,
            {
                "title": f"Goal {n}: run a 10k",
                "identity": "someone who shows up",
                "description": "Three short runs a week, one longer run on Sunday.",
                "mentorId": mentor_id,
            },
            None,
        )
        for n in range(goals)
    ]
    for n in range(count - goals):
        day = (today - timedelta(days=n + 1)).isoformat()
        fields = {
            "mood": ("GREAT", "GOOD", "NEUTRAL", "BAD")[n % 4],
            "moodScore": 3 + n % 7,
            "text": f"Day {n}: kept the streak, the morning run felt easier than last week.",
            "isShared": True,
            "sharedWithMentorId": mentor_id,
        }
        key = {"userId": mentee_id, "date": day}
        changes.append(
            ChangeIn(len(changes) + 1, Entity.REFLECTION, key, Op.PUT, None, fields, None)
        )
    return changes


async def seed_mentor_world(url: str, items: int) -> dict[str, Any]:
    """Sign up a mentor and ``items / 500`` mentees; each mentee pushes its 500 changes in one
    ``pushChanges``, so the server stores items, feed entries and acks exactly as it does for
    devices."""
    mentees = -(-items // ITEMS_PER_MENTEE)
    remote = GqlRemote(url, timeout=300)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            mentor = await sign_up(http, name="mentor", role="MENTOR")
            for m in range(mentees):
                mentee = await sign_up(http, name=f"mentee{m:05d}")
                count = min(ITEMS_PER_MENTEE, items - m * ITEMS_PER_MENTEE)
                changes = mentee_changes(mentee.user_id, mentor.user_id, count)
                payload = await remote.push(str(uuid.uuid4()), changes, token=mentee.token)
                refused = [r for r in payload.results if r.status is not ChangeStatus.APPLIED]
                if refused or len(payload.results) != count:
                    raise RuntimeError(
                        f"seeding: {len(refused)} changes not applied: {refused[:1]}"
                    )
    finally:
        await remote.aclose()
    return {"mentor_email": mentor.email, "mentees": mentees, "items": items}


def seeded_world(
    cache: Path, items: int, folder: Path, *, settle: bool
) -> tuple[Path, dict[str, Any]]:
    """The cached server file for ``items`` (built first when missing) and its description.

    ``settle``: after seeding, wait out the server's index-lag window (an initial sync replays
    the last 10 s of the feed), so the first measured sync pulls what every later one does.
    """
    db = cache / f"mentor-world-{items}-f{SEED_FORMAT}.db"
    meta = db.with_suffix(".json")
    if db.exists() and meta.exists():
        return db, json.loads(meta.read_text())
    cache.mkdir(parents=True, exist_ok=True)
    building = folder / "seeding.db"
    started = time.perf_counter()
    with bench_server(building, folder / "seed-server.log") as server:
        world = asyncio.run(seed_mentor_world(server.url, items))
    seeded = time.monotonic()
    with contextlib.closing(sqlite3.connect(building)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(building, db)
    meta.write_text(json.dumps(world))  # last: a cache file without it is rebuilt
    print(
        f"   (seeded {items:,} items through pushChanges in {time.perf_counter() - started:.0f} s;"
        f" cached as {db.relative_to(ROOT) if db.is_relative_to(ROOT) else db})"
    )
    if settle:
        time.sleep(max(0.0, INDEX_LAG_SECONDS + 1 - (time.monotonic() - seeded)))
    return db, world
