"""Notifications: thin resolvers that call ``services.notifications``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import notifications
from ...storage.items import Item
from ..context import Info, ctx_of
from ..pages import page_payload

query = QueryType()
mutation = MutationType()
notification_type = ObjectType("Notification")


@query.field("listNotifications")
async def resolve_list_notifications(
    _: Any, info: Info, userId: str, read: bool | None = None, limit: int | None = None
) -> list[Item]:
    items, _cursor = await notifications.list_for_user(ctx_of(info), userId, read, limit)
    return items


@query.field("listNotificationsPage")
async def resolve_list_notifications_page(
    _: Any,
    info: Info,
    userId: str,
    read: bool | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    return page_payload(
        await notifications.list_for_user(ctx_of(info), userId, read, limit, cursor)
    )


@query.field("getUnreadNotificationCount")
async def resolve_get_unread_notification_count(_: Any, info: Info, userId: str) -> int:
    return await notifications.unread_count(ctx_of(info), userId)


@query.field("listNotificationsByType")
async def resolve_list_notifications_by_type(
    _: Any, info: Info, type: str, limit: int | None = None
) -> list[Item]:
    return await notifications.list_by_type(ctx_of(info), type, limit)


@mutation.field("markNotificationRead")
async def resolve_mark_notification_read(_: Any, info: Info, notificationId: str) -> Item:
    return await notifications.mark_read(ctx_of(info), notificationId)


@mutation.field("markAllNotificationsRead")
async def resolve_mark_all_notifications_read(_: Any, info: Info, userId: str) -> int:
    return await notifications.mark_all_read(ctx_of(info), userId)


@notification_type.field("user")
async def resolve_notification_user(notification: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(notification["userId"])


@notification_type.field("read")
def resolve_notification_read(notification: Item, _: Info) -> bool:
    return bool(notification.get("read"))


bindables = [query, mutation, notification_type]
