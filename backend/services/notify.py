"""Creating notifications: part of the same transaction as the change they announce."""

from __future__ import annotations

import uuid

from domain.clock import utc_iso

from ..storage.items import Item
from ..storage.tables import Table
from .instants import next_instant
from .writes import Changes


async def notify(
    changes: Changes,
    *,
    user_id: str,
    type: str,
    title: str,
    message: str,
    related_id: str | None = None,
    action_url: str | None = None,
) -> Item:
    """Queue a notification for ``user_id`` in ``changes``.

    The table's sort key is ``createdAt``, so each notification gets a distinct instant.
    """
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
