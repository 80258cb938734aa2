"""Placeholder for the Reflect screen (its real version comes from another branch at merge)."""

from __future__ import annotations

import flet as ft

from app.state.context import ScreenContext
from app.views import theme


@ft.component
def ReflectScreen(ctx: ScreenContext) -> ft.Control:
    return theme.screen_column([ft.Text("Reflect", size=theme.TITLE, weight=ft.FontWeight.W_600)])
