"""Creating notifications: part of the same transaction as the change they announce.

A message that names a moment is written for its reader: given as a ``ReaderText``, it is
rendered with the recipient's own time zone, from their profile.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from domain.clock import utc_iso, zone
from domain.errors import RuleViolation
from domain.readable_time import reader_time

from ..storage.items import Item
from ..storage.tables import Table
from .instants import next_instant
from .writes import Changes


@dataclass(frozen=True)
class ReaderText:
    """A message naming ``instant``: ``before`` + the instant in the reader's zone + ``after``
    ("Your session starts " ... "."); rendered for each recipient with their own zone."""

    before: str
    instant: datetime
    after: str = "."

    def for_reader(self, time_zone: str, now: datetime) -> str:
        return f"{self.before}{reader_time(self.instant, time_zone, now)}{self.after}"


async def reader_zone(changes: Changes, user_id: str) -> str:
    """The recipient's time zone, UTC when the profile has none (or an unknown one)."""
    user = await changes.ctx.loaders.user.load(user_id)
    name = str((user or {}).get("timeZone") or "UTC")
    try:
        zone(name)
    except RuleViolation:
        return "UTC"
    return name


async def notify(
    changes: Changes,
    *,
    user_id: str,
    type: str,
    title: str,
    message: str | ReaderText,
    related_id: str | None = None,
    action_url: str | None = None,
) -> Item:
    """Queue a notification for ``user_id`` in ``changes``.

    The table's sort key is ``createdAt``, so each notification gets a distinct instant.
    """
    if not isinstance(message, str):
        message = message.for_reader(await reader_zone(changes, user_id), changes.ctx.clock.now())
    created_at = utc_iso(await next_instant(changes, Table.NOTIFICATIONS, user_id))
    return changes.create(
        Table.NOTIFICATIONS,
        {
            "userId": user_id,
            "createdAt": created_at,
            "notificationId": str(uuid.uuid4()),
            "title": title,
            "message": message,
            "type": type,
            "read": False,
            "relatedId": related_id,
            "actionUrl": action_url,
        },
    )
