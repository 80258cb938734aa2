"""The frame around every screen: an app bar with the sync status and "Sync now", the
navigation (a bottom bar on narrow windows, a rail on wide ones) and the routed screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from app.state.context import ScreenContext
from app.state.routes import Route, phone_tabs_for, tabs_for
from app.views import theme
from app.views.attention import AttentionScreen
from app.views.badges import BadgesScreen
from app.views.booking import MentorsScreen
from app.views.destinations import nav_icon
from app.views.events import EventsScreen
from app.views.goals import GoalsScreen
from app.views.habit import HabitScreen
from app.views.mentoring import MentoringScreen
from app.views.more import MoreScreen
from app.views.notifications import NotificationsScreen
from app.views.profile import ProfileScreen
from app.views.reflect import ReflectScreen
from app.views.sessions import SessionsScreen
from app.views.today import TodayScreen
from app.views.todos import TodosScreen
from sync import SyncStatus

WIDE = 720
"""Windows at least this wide get a navigation rail instead of a bottom bar."""


@dataclass(frozen=True)
class ShellProps:
    screen: ScreenContext
    route: Route
    status: SyncStatus
    width: float
    sync_now: Callable[[], Awaitable[None]]
    sign_out: Callable[[], None]
    user_name: str
    role: str = "MENTEE"
    """MENTEE, MENTOR or BOTH: which destinations the navigation offers."""
    unread: int = 0
    """Unread notifications, carried by the bell in the app bar."""

    @property
    def wide(self) -> bool:
        return self.width >= WIDE

    @property
    def tabs(self) -> tuple[tuple[str, str], ...]:
        """The destinations drawn: all of them in a wide window's rail, at most five in a
        phone's bottom bar (the last one More when they do not fit)."""
        return tabs_for(self.role) if self.wide else phone_tabs_for(self.role)[0]

    @property
    def more(self) -> tuple[tuple[str, str], ...]:
        """The destinations a phone holds under More."""
        return phone_tabs_for(self.role)[1]

    @property
    def tab(self) -> int | None:
        return self.route.tab_in(self.tabs, () if self.wide else self.more)


def _status_look(status: SyncStatus) -> tuple[ft.IconData, str]:
    if status.attention:
        return ft.Icons.ERROR_OUTLINE, theme.WARNING
    if status.syncing and status.pending:
        return ft.Icons.SYNC, theme.PRIMARY
    if status.pending:
        return ft.Icons.CLOUD_OFF, theme.PENDING
    return ft.Icons.CLOUD_DONE_OUTLINED, theme.SUCCESS


def StatusChip(status: SyncStatus, navigate: Callable[[str], None]) -> ft.Control:
    icon, color = _status_look(status)
    return ft.Semantics(
        identifier="sync-status",
        label=status.label,
        button=bool(status.attention),
        exclude_semantics=True,
        live_region=True,
        content=ft.Container(
            content=ft.Row(
                [
                    ft.Icon(icon, size=16, color=color),
                    ft.Text(
                        status.label, size=theme.SMALL, color=color, weight=ft.FontWeight.W_600
                    ),
                ],
                spacing=6,
                tight=True,
            ),
            padding=ft.Padding.symmetric(horizontal=12, vertical=6),
            border_radius=999,
            border=ft.Border.all(1, color),
            bgcolor=theme.CARD,
            on_click=(lambda: navigate("/attention")) if status.attention else None,
        ),
    )


def _app_bar(props: ShellProps) -> ft.Control:
    narrow = props.width < 480
    return ft.Container(
        content=ft.Row(
            [
                ft.Icon(ft.Icons.SPA, color=theme.PRIMARY),
                # On a phone the status, the bell and "Sync now" need the width: the mark
                # alone says Growlink there (its name is the window's title).
                *(
                    []
                    if narrow
                    else [ft.Text("Growlink", size=theme.HEADING + 1, weight=ft.FontWeight.W_700)]
                ),
                ft.Container(expand=True),
                StatusChip(props.status, props.screen.navigate),
                _bell(props),
                ft.Semantics(
                    identifier="sync-now",
                    label="Sync now",
                    button=True,
                    content=ft.IconButton(
                        ft.Icons.SYNC,
                        tooltip="Sync now",
                        on_click=props.sync_now,
                        icon_color=theme.PRIMARY,
                    )
                    if narrow
                    else ft.TextButton("Sync now", icon=ft.Icons.SYNC, on_click=props.sync_now),
                ),
            ],
            spacing=theme.GAP,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        padding=ft.Padding.symmetric(horizontal=theme.PAD, vertical=theme.GAP),
        bgcolor=theme.CARD,
        border=ft.Border.only(bottom=ft.BorderSide(1, theme.BORDER)),
        height=60,
    )


def _bell(props: ShellProps) -> ft.Control:
    """Notifications live in the app bar, reachable from every screen and every role; the
    count stays readable to screen readers in the label."""
    label = f"Notifications, {props.unread} unread" if props.unread else "Notifications"
    return ft.Semantics(
        identifier="nav-notifications",
        label=label,
        button=True,
        exclude_semantics=True,  # the label alone, not the tooltip and badge repeated
        content=ft.IconButton(
            ft.Icons.NOTIFICATIONS if props.unread else ft.Icons.NOTIFICATIONS_NONE,
            tooltip=label,
            icon_color=theme.PRIMARY,
            badge=str(props.unread) if props.unread else None,
            on_click=lambda _: props.screen.navigate("/notifications"),
        ),
    )


def _on_tab(props: ShellProps) -> Callable[[Any], None]:
    def change(event: Any) -> None:
        # The event's own index first: the control's may already be redrawn to the route's
        # tab by a render that ran between the client's tap and this event.
        chosen = getattr(event, "data", None)
        if chosen is None or chosen == "":
            chosen = getattr(event.control, "selected_index", None)
        index = int(chosen or 0)
        # The tabs may have changed under the tap (the account's role arrived with its first
        # sync): an index the client counted in the old tabs means nothing now.
        if 0 <= index < len(props.tabs):
            props.screen.navigate(props.tabs[index][0])

    return change


def _navigation(props: ShellProps, wide: bool) -> ft.Control:
    selected = props.tab
    if wide:
        return ft.NavigationRail(
            destinations=[
                ft.NavigationRailDestination(
                    icon=nav_icon(route, label, False),
                    selected_icon=nav_icon(route, label, True),
                    label=label,
                )
                for route, label in props.tabs
            ],
            selected_index=selected,
            label_type=ft.NavigationRailLabelType.ALL,
            on_change=_on_tab(props),
            bgcolor=theme.CARD,
            min_width=88,
        )
    return ft.NavigationBar(
        destinations=[
            ft.NavigationBarDestination(
                icon=nav_icon(route, label, False),
                selected_icon=nav_icon(route, label, True),
                label=label,
            )
            for route, label in props.tabs
        ],
        selected_index=selected or 0,
        on_change=_on_tab(props),
        bgcolor=theme.CARD,
    )


def _screen(props: ShellProps) -> ft.Control:
    ctx, route = props.screen, props.route
    if route.screen == "goals":
        return GoalsScreen(ctx)
    if route.screen == "habit" and route.habit_id:
        return HabitScreen(ctx, route.habit_id)
    if route.screen == "reflect":
        return ReflectScreen(ctx)
    if route.screen == "todos":
        return TodosScreen(ctx)
    if route.screen == "sessions":
        return SessionsScreen(ctx)
    if route.screen == "mentors":
        return MentorsScreen(ctx)
    if route.screen == "events":
        return EventsScreen(ctx)
    if route.screen == "badges":
        return BadgesScreen(ctx)
    if route.screen == "profile":
        return ProfileScreen(ctx, props.sign_out)
    if route.screen == "attention":
        return AttentionScreen(ctx)
    if route.screen == "mentoring":
        return MentoringScreen(ctx)
    if route.screen == "notifications":
        return NotificationsScreen(ctx)
    if route.screen == "more":
        return MoreScreen(ctx, props.more)
    return TodayScreen(ctx)


@ft.component
def Shell(props: ShellProps) -> ft.Control:
    """One tree for every width: the screen sits at the same place whether a rail (wide) or a
    bottom bar (phone) goes with it, so turning a phone or resizing a window keeps an open
    form, its draft and the screen's own state instead of mounting the screen afresh."""
    wide = props.wide
    body = ft.Container(content=_screen(props), expand=True, bgcolor=theme.SURFACE)
    rail = _navigation(props, wide=True) if wide else ft.Container(visible=False)
    divider = ft.VerticalDivider(width=1, color=theme.BORDER, visible=wide)
    main = ft.Row(
        [rail, divider, body],
        spacing=0,
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    # A phone's bottom bar must highlight one tab; a screen of none (the sync issues) has
    # its own way back instead.
    phone_bar = not wide and props.tab is not None
    bar = _navigation(props, wide=False) if phone_bar else ft.Container(visible=False)
    return ft.Column([_app_bar(props), main, bar], spacing=0, expand=True)
