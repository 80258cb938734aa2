"""``/notifications``: newest first, unread ones bold with a dot; a tap marks one read and
opens what it is about; "Mark all read" clears the count. Works offline (queued patches)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import flet as ft

from app.state.context import ScreenContext
from app.state.notifications import Notice, load_notifications, mark_all_read, open_notification
from app.views import theme
from app.views.building_blocks import back_link
from app.views.dates import short_day


@ft.component
def NotificationsScreen(ctx: ScreenContext) -> ft.Control:
    writes, set_writes = ft.use_state(0)
    model = ft.use_memo(lambda: load_notifications(ctx.user), [ctx.revision, writes])

    def tap(notice: Notice) -> None:
        try:
            route = open_notification(ctx.user, notice.notification_id)
        except LookupError as gone:
            ctx.notify(str(gone))
            return
        set_writes(lambda old: old + 1)
        if route:
            ctx.navigate(route)

    def all_read() -> None:
        mark_all_read(ctx.user)
        set_writes(lambda old: old + 1)

    back = back_link("notifications-back", "Back", "Back", lambda: ctx.navigate("/"))
    action = (
        ft.Semantics(
            identifier="notifications-read-all",
            label="Mark all read",
            button=True,
            content=ft.TextButton("Mark all read", on_click=lambda _: all_read()),
        )
        if model.unread
        else None
    )
    subtitle = f"{model.unread} unread" if model.unread else "All caught up"
    body: list[ft.Control] = [
        back,
        theme.screen_title(
            "Notifications", subtitle, identifier="notifications-title", action=action
        ),
    ]
    if not model.items:
        body.append(
            theme.empty_state(
                ft.Icons.NOTIFICATIONS_NONE,
                "Nothing new",
                "Approvals, replies, bookings and badges will be announced here.",
            )
        )
    today = ctx.user.today()
    body += [_row(n, today, tap) for n in model.items]
    return theme.screen_column(body)


def _when(created_at: str, today: dt.date) -> str:
    try:
        return short_day(dt.date.fromisoformat(created_at[:10]), today)
    except ValueError:
        return ""


def _row(notice: Notice, today: dt.date, tap: Callable[[Notice], None]) -> ft.Control:
    dot = ft.Container(
        width=10,
        height=10,
        border_radius=5,
        bgcolor=theme.PRIMARY if not notice.read else None,
    )
    text = ft.Column(
        [
            ft.Row(
                [
                    ft.Text(
                        notice.title,
                        weight=ft.FontWeight.W_700 if not notice.read else ft.FontWeight.W_500,
                        expand=True,
                    ),
                    theme.muted(_when(notice.created_at, today)),
                ]
            ),
            ft.Text(notice.message, size=theme.BODY, color=theme.MUTED),
        ],
        spacing=2,
        expand=True,
    )
    return ft.Semantics(
        identifier=f"notification-{notice.notification_id}",
        label=notice.title + ("" if notice.read else ", unread"),
        button=True,
        content=theme.card(
            ft.Container(
                content=ft.Row(
                    [dot, text],
                    spacing=theme.GAP * 1.5,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                on_click=lambda _: tap(notice),
                ink=True,
            ),
            padding=12,
        ),
    )
