"""Placeholder for the habit detail screen (its real version comes from another branch)."""

from __future__ import annotations

import flet as ft

from app.state.context import ScreenContext
from app.views import theme


@ft.component
def HabitScreen(ctx: ScreenContext, habit_id: str) -> ft.Control:
    return theme.screen_column([ft.Text("Habit", size=theme.TITLE, weight=ft.FontWeight.W_600)])
