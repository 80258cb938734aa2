"""Keys of notifications a job already sent, so retries, restarts and racing runners send
each one once.

A key item (``ownerId`` = "job:<subject id>", ``name`` = the key, e.g.
"session_reminder:24h") is created with a create-only condition in the same transaction as
the notifications it stands for: either both are stored or neither is.

Keys expire (``_ttl``, epoch seconds: DynamoDB drops them itself, the SQLite server purges
them under the jobs' leader) after ``KEY_LIFETIME``, far longer than any job can see the same
occurrence again, so an expired key never lets a job send twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.clock import parse_utc, require_aware, utc_iso

from ..errors import WriteConflict
from ..services.context import ServiceContext, Services
from ..services.notify import ReaderText, notify
from ..services.writes import Changes
from ..storage.base import Put
from ..storage.conditions import ItemNotExists
from ..storage.errors import ConditionFailed
from ..storage.tables import Table

TABLE = Table.SYNC_STATE
KEY_LIFETIME = timedelta(days=30)
"""How long a sent key is kept. A job sees an occurrence again for at most a week after
recording its key (a completion prompt's lookback, a feedback window; a session reminder
until the start, a Sunday or a day's badges for a day): the margin is generous."""


def expiry_epoch(recorded_at: datetime) -> int:
    """The ``_ttl`` of a key recorded at ``recorded_at``."""
    return int((require_aware(recorded_at) + KEY_LIFETIME).timestamp())


def key_of(subject_id: str, key: str) -> dict[str, str]:
    return {"ownerId": f"job:{subject_id}", "name": key}


def record_key(changes: Changes, subject_id: str, key: str) -> None:
    """Queue the create-only key item into ``changes`` (the commit fails if it exists)."""
    item = {
        **key_of(subject_id, key),
        "sentAt": changes.now,
        "_ttl": expiry_epoch(parse_utc(changes.now)),
    }
    changes.actions.append(Put(TABLE, item, ItemNotExists()))


async def mark_settled(services: Services, subject_id: str, key: str) -> None:
    """Record ``key`` with nothing to send (the occurrence needs no notification after all)."""
    now = services.clock.now()
    item = {
        **key_of(subject_id, key),
        "sentAt": utc_iso(now),
        "skipped": True,
        "_ttl": expiry_epoch(now),
    }
    try:
        await services.store.put(TABLE, item, condition=ItemNotExists())
    except ConditionFailed:
        pass


async def was_sent(services: Services, subject_id: str, key: str) -> bool:
    return await services.store.get(TABLE, key_of(subject_id, key)) is not None


async def send_once(
    services: Services,
    *,
    subject_id: str,
    key: str,
    recipients: list[str],
    type: str,
    title: str,
    message: str | ReaderText,
    related_id: str | None = None,
) -> bool:
    """Notify ``recipients`` unless ``key`` was recorded for ``subject_id``; True if sent now."""
    changes = Changes(ServiceContext(services, None))
    for user_id in recipients:
        await notify(
            changes, user_id=user_id, type=type, title=title, message=message, related_id=related_id
        )
    record_key(changes, subject_id, key)
    try:
        await changes.commit()
    except WriteConflict:
        return False
    return True
