"""Time to live on the SQLite engine.

DynamoDB deletes expired items by itself (``init-tables`` turns TTL on for the ``_ttl``
attribute of tombstones, change-feed entries and resolved sync issues). SQLite has no TTL, so a
SQLite server purges them on a schedule: without it tombstones and feed entries would pile up
forever and a device's ancient cursor would never be told to reset.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from domain.clock import Clock

from .base import Store

DEFAULT_INTERVAL_SECONDS = 3600.0
log = logging.getLogger("growlink.storage.expiry")


@runtime_checkable
class ExpiresItems(Protocol):
    """An engine that deletes expired items only when asked (the SQLite engine)."""

    async def purge_expired(self, now_epoch: int) -> dict[str, int]: ...


def interval_from_env() -> float:
    """``GROWLINK_PURGE_INTERVAL_SECONDS`` (default one hour)."""
    value = float(os.environ.get("GROWLINK_PURGE_INTERVAL_SECONDS") or DEFAULT_INTERVAL_SECONDS)
    if value <= 0:
        raise ValueError("GROWLINK_PURGE_INTERVAL_SECONDS must be positive")
    return value


async def purge_expired(store: ExpiresItems, clock: Clock) -> dict[str, int]:
    removed = await store.purge_expired(int(clock.now().timestamp()))
    if removed:
        log.info("purged expired items: %s", removed)
    return removed


def schedule_expiry(store: Store, clock: Clock, interval: float) -> AsyncIOScheduler | None:
    """Purge now and every ``interval`` seconds on the running loop; ``None`` for an engine
    whose storage expires items by itself."""
    if not isinstance(store, ExpiresItems):
        return None
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        purge_expired,
        "interval",
        args=(store, clock),
        seconds=interval,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler
