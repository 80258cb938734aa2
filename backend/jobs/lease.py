"""Exactly one job runner across server processes: a lease item written with conditions.

The lease lives in the ``SyncState`` table (``ownerId`` = "jobs", ``name`` = "lease"), the
server's own bookkeeping table, so the spec's tables keep their shape. A process takes the
lease when there is none, when it holds it already, or when the holder's lease expired; each
write is conditional on the ``token`` it read, so of two racing processes only one wins.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from domain.clock import parse_utc, require_aware, utc_iso

from ..storage.base import Store
from ..storage.conditions import AttrEquals, Condition, ItemNotExists
from ..storage.errors import ConditionFailed
from ..storage.tables import Table

TABLE = Table.SYNC_STATE
LEASE_KEY = {"ownerId": "jobs", "name": "lease"}
LEASE_LENGTH = timedelta(minutes=3)
"""Longer than the runner's one-minute tick, so a live leader renews it before it lapses."""


async def acquire(
    store: Store, holder: str, now: datetime, length: timedelta = LEASE_LENGTH
) -> bool:
    """Take or renew the lease for ``holder``; False when another live holder has it."""
    current = await store.get(TABLE, LEASE_KEY)
    condition: Condition
    if current is None:
        condition = ItemNotExists()
    else:
        expired = parse_utc(current["expiresAt"]) <= require_aware(now)
        if current.get("holder") != holder and not expired:
            return False
        condition = AttrEquals("token", current["token"])
    item = {
        **LEASE_KEY,
        "holder": holder,
        "token": str(uuid.uuid4()),
        "expiresAt": utc_iso(now + length),
    }
    try:
        await store.put(TABLE, item, condition=condition)
    except ConditionFailed:
        return False
    return True


async def release(store: Store, holder: str) -> None:
    """Give the lease up (a process shutting down), if ``holder`` still has it."""
    try:
        await store.delete(TABLE, LEASE_KEY, condition=AttrEquals("holder", holder))
    except ConditionFailed:
        pass
