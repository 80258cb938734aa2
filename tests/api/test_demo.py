"""The demo seeder (what `./dev run` and the browser tests start from) on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from backend.config import StorageSettings
from backend.demo import seed_demo
from backend.storage.factory import open_store
from backend.storage.tables import Table


async def test_the_demo_survives_a_daylight_saving_change(tmp_path: Path) -> None:
    """Ending at 22:06 UTC puts one of the sixty days at 00:06 in Berlin on the night summer
    time ends, and the next day, 24 hours later, at 23:06 on the same local date: the seeder
    must not write that mentee's reflection twice (it did, and seed-demo failed)."""
    store = open_store(StorageSettings(db_path=str(tmp_path / "demo.db")))
    try:
        counts = await seed_demo(store, end=datetime(2026, 11, 30, 22, 6, tzinfo=UTC))
        reflections = await store.scan(Table.REFLECTIONS, limit=1000)
    finally:
        await store.close()
    assert counts["createReflection"] + counts["createWeeklyReflection"] == len(reflections.items)
    days_of = {}
    for item in reflections.items:
        days_of.setdefault(item["userId"], set()).add(item["date"])
    assert all(len(days) >= 20 for days in days_of.values())


async def test_a_store_holding_only_throttle_counters_still_counts_as_empty(
    tmp_path: Path,
) -> None:
    """A failed sign-in on a fresh server leaves a counter item in Users: seed-demo must still
    see the store as empty, and a real user makes it refuse."""
    from backend.cli import _holds_users

    store = open_store(StorageSettings(db_path=str(tmp_path / "demo.db")))
    try:
        await store.put(Table.USERS, {"userId": "#throttle#ab12#29000000", "failures": 1})
        assert await _holds_users(store) is False
        await store.put(Table.USERS, {"userId": "u-1", "email": "a@b.example", "name": "A"})
        assert await _holds_users(store) is True
    finally:
        await store.close()
