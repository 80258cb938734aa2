"""The reminder banner: a floating bar with the reminder's line and its one action.

It floats above the phone's bottom navigation (a fixed bar would cover the tabs) and, on a
wide window, keeps a readable width in the middle instead of spanning the screen.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.state.reminders import Banner
from app.views import theme
from app.views.shell import WIDE

WIDE_BANNER = 520
"""The banner's width on wide windows."""
ABOVE_BOTTOM_BAR = 92
"""On narrow windows, how far above the bottom the banner floats: clear of the tab bar."""
BANNER_COLOR = "#1F3B30"
"""A deep Growlink green: stands out from the light screens without alarming."""
ACCENT = "#A7F3D0"


def reminder_snack_bar(shown: Banner, window_width: float, act: Callable[[], None]) -> ft.SnackBar:
    wide = window_width >= WIDE  # a rail, not a bottom bar
    return ft.SnackBar(
        ft.Row(
            [
                ft.Icon(ft.Icons.NOTIFICATIONS_ACTIVE_OUTLINED, color=ACCENT, size=20),
                ft.Semantics(
                    identifier="reminder-banner",
                    label=shown.text,
                    content=ft.Text(shown.text, color=theme.ON_PRIMARY, size=theme.BODY + 1),
                    exclude_semantics=True,  # the label once, not the text repeated
                    expand=True,
                ),
            ],
            spacing=theme.GAP * 1.5,
        ),
        action=ft.SnackBarAction(label=shown.action, on_click=lambda _: act(), text_color=ACCENT),
        behavior=ft.SnackBarBehavior.FLOATING,
        bgcolor=BANNER_COLOR,
        shape=ft.RoundedRectangleBorder(radius=theme.RADIUS),
        close_icon_color="#D1D5DB",
        show_close_icon=True,
        duration=12000,
        width=WIDE_BANNER if wide else None,
        margin=None if wide else ft.Margin(12, 0, 12, ABOVE_BOTTOM_BAR),
    )
