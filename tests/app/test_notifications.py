"""Notifications on a real device file, with no client: newest first, the unread count on
the bell, a tap marks read (queued) and opens the related screen."""

from __future__ import annotations

from dataclasses import replace

from app.state.context import ScreenContext, UserContext
from app.state.notifications import load_notifications, open_notification, unread_count
from app.state.routes import parse_route
from app.views.notifications import NotificationsScreen
from app.views.shell import Shell, ShellProps
from sync import Entity, SyncStatus
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server


def seed(user: UserContext) -> None:
    from_server(
        user.store,
        Entity.NOTIFICATION,
        {
            "notificationId": "n-goal",
            "userId": USER,
            "type": "goal_approved",
            "read": False,
            "title": "Goal approved",
            "message": "Run 5k is active",
            "relatedId": "g1",
            "createdAt": "2026-11-24T08:00:00.000000Z",
        },
        {
            "notificationId": "n-old",
            "userId": USER,
            "type": "feedback_received",
            "read": True,
            "title": "New feedback",
            "message": "Zoe answered",
            "relatedId": "r1",
            "createdAt": "2026-11-20T08:00:00.000000Z",
        },
        {
            "notificationId": "n-admin",
            "userId": USER,
            "type": "admin_update",
            "read": False,
            "title": "Welcome",
            "message": "Hello",
            "createdAt": "2026-11-22T08:00:00.000000Z",
        },
    )


def test_newest_first_with_their_screens_and_the_unread_count(user: UserContext):
    seed(user)
    model = load_notifications(user)
    assert [(n.notification_id, n.route) for n in model.items] == [
        ("n-goal", "/goals"),
        ("n-admin", None),
        ("n-old", "/reflect"),
    ]
    assert model.unread == 2 == unread_count(user)


def test_opening_marks_read_once_and_leads_to_the_goal(user: UserContext):
    seed(user)
    assert open_notification(user, "n-goal") == "/goals"
    assert unread_count(user) == 1
    assert open_notification(user, "n-goal") == "/goals"
    assert user.store.pending() == 1  # read once, not queued twice


async def test_a_tap_in_the_list_opens_the_related_screen(fake_page: FakePage, screen):
    seed(screen.user)
    went: list[str] = []
    ctx = replace(screen, navigate=went.append)
    fake_page.render(lambda: NotificationsScreen(ctx))
    await fake_page.settle()
    assert "2 unread" in fake_page.texts()
    await fake_page.click(fake_page.by_id("notification-n-goal"))
    await fake_page.settle()
    assert went == ["/goals"]
    await fake_page.click(fake_page.by_id("notifications-read-all"))
    await fake_page.settle()
    assert unread_count(screen.user) == 0
    assert "All caught up" in fake_page.texts()


async def test_the_bell_carries_the_unread_count(fake_page: FakePage, screen: ScreenContext):
    async def sync_now() -> None:
        return None

    went: list[str] = []
    props = ShellProps(
        replace(screen, navigate=went.append),
        parse_route("/today"),
        SyncStatus(0, 0),
        400,
        sync_now,
        lambda: None,
        "Ana",
        unread=3,
    )
    fake_page.render(lambda: Shell(props))
    await fake_page.settle()
    bell = fake_page.by_id("nav-notifications")
    assert bell.label == "Notifications, 3 unread"
    await fake_page.click(bell)
    assert went == ["/notifications"]
