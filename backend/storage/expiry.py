"""Time to live on the SQLite engine.

DynamoDB deletes expired items by itself (``init-tables`` turns TTL on for the ``_ttl``
attribute of tombstones, change-feed entries and resolved sync issues). SQLite has no TTL, so a
SQLite server purges them on a schedule: without it tombstones and feed entries would pile up
forever and a device's ancient cursor would never be told to reset.
"""

from __future__ import annotations

import logging
import os
from typing import Protocol, runtime_checkable

from domain.clock import Clock

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
