"""Notifications on the device: the list newest first, the unread count the navigation
shows, and a tap that marks one read (a queued patch) and says which screen to open."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sync import Entity

from .context import UserContext

_ROUTES = {
    "goal_approved": "/goals",
    "goal_returned": "/goals",
    "goal_submitted": "/mentoring",
    "reflection_shared": "/mentoring",
    "badge_earned": "/badges",
    "session_booked": "/sessions",
    "session_upcoming": "/sessions",
    "session_reminder": "/sessions",
    "session_confirmed": "/sessions",
    "session_declined": "/sessions",
    "session_cancelled": "/sessions",
    "event_registered": "/events",
    "reflection_reminder": "/reflect",
    "habit_reminder": "/today",
}
"""Where a tap on a notification of each type leads; other types open nothing."""


@dataclass(frozen=True)
class Notice:
    notification_id: str
    title: str
    message: str
    kind: str
    read: bool
    created_at: str
    route: str | None
    """The screen it opens, or None when it only informs."""


@dataclass(frozen=True)
class NotificationsModel:
    items: tuple[Notice, ...]
    """Newest first."""

    @property
    def unread(self) -> int:
        return sum(1 for item in self.items if not item.read)


def target_route(user: UserContext, kind: str, related_id: str | None) -> str | None:
    """The screen a notification opens. "Feedback received" is about a session when its
    related item is one, else about a reflection."""
    if kind == "feedback_received":
        session = user.store.get(Entity.SESSION, {"sessionId": related_id}) if related_id else None
        return "/sessions" if session else "/reflect"
    return _ROUTES.get(kind)


def _notice(user: UserContext, row: Mapping[str, Any]) -> Notice:
    kind = str(row.get("type") or "")
    related = row.get("relatedId")
    return Notice(
        notification_id=str(row["notificationId"]),
        title=str(row.get("title") or "Growlink"),
        message=str(row.get("message") or ""),
        kind=kind,
        read=bool(row.get("read")),
        created_at=str(row.get("createdAt") or ""),
        route=target_route(user, kind, str(related) if related else None),
    )


def load_notifications(user: UserContext) -> NotificationsModel:
    rows = user.store.query(Entity.NOTIFICATION, userId=user.user_id)
    items = sorted((_notice(user, r) for r in rows), key=lambda n: n.created_at, reverse=True)
    return NotificationsModel(tuple(items))


def unread_count(user: UserContext) -> int:
    """What the navigation's Notifications entry carries."""
    return len(user.store.query(Entity.NOTIFICATION, userId=user.user_id, read=False))


def open_notification(user: UserContext, notification_id: str) -> str | None:
    """Mark it read (queued; the server keeps read as read) and return where it leads."""
    row = user.store.get(Entity.NOTIFICATION, {"notificationId": notification_id})
    if row is None:
        raise LookupError(f"notification {notification_id} is not on this device")
    if not row.get("read"):
        user.store.mark_notification_read(notification_id)
    return _notice(user, row).route


def mark_all_read(user: UserContext) -> int:
    """Mark every unread one read; returns how many changed."""
    unread = user.store.query(Entity.NOTIFICATION, userId=user.user_id, read=False)
    for row in unread:
        user.store.mark_notification_read(str(row["notificationId"]))
    return len(unread)
