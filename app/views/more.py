"""``/more``: on a phone, the destinations that do not fit the bottom bar, one tap away. Each
row carries the destination's own ``nav-<name>`` identifier, as the rail's icon does on a
wide window, so a destination is found the same way wherever it sits."""

from __future__ import annotations

import flet as ft

from app.state.context import ScreenContext
from app.state.routes import nav_identifier
from app.views import theme
from app.views.destinations import ICONS


def MoreScreen(ctx: ScreenContext, destinations: tuple[tuple[str, str], ...]) -> ft.Control:
    rows = [_row(ctx, route, label) for route, label in destinations]
    return theme.screen_column(
        [
            theme.screen_title("More", identifier="more-title"),
            theme.card(ft.Column(rows, spacing=0), padding=0),
        ]
    )


def _row(ctx: ScreenContext, route: str, label: str) -> ft.Control:
    return ft.Semantics(
        identifier=nav_identifier(route),
        label=label,
        button=True,
        exclude_semantics=True,
        content=ft.ListTile(
            leading=ft.Icon(ICONS[route][0], color=theme.PRIMARY),
            title=ft.Text(label, size=theme.BODY + 1, weight=ft.FontWeight.W_500),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED),
            on_click=lambda _: ctx.navigate(route),
        ),
    )
