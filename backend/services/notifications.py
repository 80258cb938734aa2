"""Reading notifications and marking them read (creating them is ``notify.py``).

Notifications are private to their user. ``read`` only ever goes from false to true, so
marking one read twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .loaders import is_live
from .pages import all_live, query_live
from .writes import Changes, retrying

TABLE = Table.NOTIFICATIONS
MAX_WRITES_PER_TRANSACTION = 49
"""Each write also appends a change-feed entry, and the feed's counter is one more action:
49 writes + 49 entries + 1 counter = 99, within DynamoDB's 100 actions per transaction."""

Page = tuple[list[Item], str | None]


def _read_filter(read: bool | None) -> Callable[[Item], bool]:
    if read is None:
        return lambda item: True
    return lambda item: bool(item.get("read")) == read


async def list_for_user(
    ctx: ServiceContext,
    user_id: str,
    read: bool | None,
    limit: int | None,
    cursor: str | None = None,
) -> Page:
    """The user's notifications, newest first, optionally only read or only unread ones."""
    access.require_notification_owner(ctx.require_viewer(), user_id)
    return await query_live(
        ctx, TABLE, user_id, ascending=False, limit=limit, cursor=cursor, keep=_read_filter(read)
    )


async def unread_count(ctx: ServiceContext, user_id: str) -> int:
    """Counted by the storage (the spec's query with ``read = false``): a dashboard asks
    for it on every open, and reading each notification back cost an eighth of it."""
    access.require_notification_owner(ctx.require_viewer(), user_id)
    return await ctx.store.count(TABLE, user_id, not_true=("read", "_deleted"))


async def list_by_type(ctx: ServiceContext, type_: str, limit: int | None) -> list[Item]:
    """Admin only: notifications of one type across users, newest first."""
    access.require_admin(ctx.require_viewer())
    items, _ = await query_live(
        ctx, TABLE, type_, index="NotificationsByType", ascending=False, limit=limit
    )
    return items


async def _by_id(ctx: ServiceContext, notification_id: str) -> Item | None:
    """The live notification with this id: found on the index, then re-read by key."""
    found, _ = await query_live(ctx, TABLE, notification_id, index="NotificationsById", limit=1)
    if not found:
        return None
    key = {"userId": found[0]["userId"], "createdAt": found[0]["createdAt"]}
    current = await ctx.store.get(TABLE, key)
    if not is_live(current):
        return None
    return current


@retrying
async def mark_read(ctx: ServiceContext, notification_id: str) -> Item:
    viewer = ctx.require_viewer()
    current = await _by_id(ctx, notification_id)
    if current is None:
        raise NotFound("no such notification")
    access.require_notification_owner(viewer, current["userId"])
    if current.get("read"):
        return current
    changes = Changes(ctx)
    updated = changes.update(TABLE, current, {"read": True})
    await changes.commit()
    return updated


async def mark_all_read(ctx: ServiceContext, user_id: str) -> int:
    """Mark every unread notification read; returns how many changed.

    Commits in transactions of at most 49 writes (with their feed entries); each batch
    re-reads its items and retries on its own, so a notification marked meanwhile is
    neither written twice nor counted.
    """
    access.require_notification_owner(ctx.require_viewer(), user_id)
    unread = [
        {"userId": item["userId"], "createdAt": item["createdAt"]}
        for item in await all_live(ctx, TABLE, user_id)
        if not item.get("read")
    ]
    changed = 0
    for start in range(0, len(unread), MAX_WRITES_PER_TRANSACTION):
        changed += await _mark_batch(ctx, unread[start : start + MAX_WRITES_PER_TRANSACTION])
    return changed


@retrying
async def _mark_batch(ctx: ServiceContext, keys: list[dict[str, str]]) -> int:
    changes = Changes(ctx)
    for item in await ctx.store.batch_get(TABLE, keys):
        if is_live(item) and not item.get("read"):
            changes.update(TABLE, item, {"read": True})
    await changes.commit()
    return len(changes.written)
