"""Placeholder for the Today screen (its real version comes from another branch at merge)."""

from __future__ import annotations

import flet as ft

from app.state.context import ScreenContext
from app.views import theme


@ft.component
def TodayScreen(ctx: ScreenContext) -> ft.Control:
    return theme.screen_column([ft.Text("Today", size=theme.TITLE, weight=ft.FontWeight.W_600)])
