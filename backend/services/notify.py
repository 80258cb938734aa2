"""Creating notifications: part of the same transaction as the change they announce."""

from __future__ import annotations

import uuid
from datetime import timedelta

from domain.clock import utc_iso

from ..storage.items import Item
from .writes import Changes


def notify(
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

    The table's sort key is ``createdAt``, so notifications to one user within one change get
    distinct instants one microsecond apart.
    """
    taken = sum(
        1
        for table, item in changes.written
        if table == "Notifications" and item["userId"] == user_id
    )
    created_at = utc_iso(changes.ctx.clock.now() + timedelta(microseconds=taken))
    return changes.create(
        "Notifications",
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
