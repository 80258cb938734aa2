"""One palette, type scale and spacing for every screen, so screens built apart look alike."""

from __future__ import annotations

import flet as ft

SEED = "#2E7D5B"
"""Growlink green: the Material 3 seed colour the whole scheme is derived from."""

PRIMARY = "#2E7D5B"
ON_PRIMARY = "#FFFFFF"
SURFACE = "#FAFAF7"
CARD = "#FFFFFF"
MUTED = "#6B7280"
"""Secondary text: dates, hints, counts."""
BORDER = "#E5E7EB"
SUCCESS = "#2E7D5B"
WARNING = "#B45309"
DANGER = "#B91C1C"
PENDING = "#B45309"
"""The mark on rows the server has not confirmed yet."""

MOOD_COLORS: dict[str, str] = {
    "GREAT": "#2E7D5B",
    "GOOD": "#65A30D",
    "NEUTRAL": "#CA8A04",
    "BAD": "#EA580C",
    "AWFUL": "#B91C1C",
}

GAP = 8
PAD = 16
RADIUS = 12
MAX_WIDTH = 720
"""Content column width on wide windows: lines stay readable on a desktop browser."""

TITLE = 22
HEADING = 17
BODY = 14
SMALL = 12


def theme() -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, use_material3=True)


def card(content: ft.Control, *, padding: int = PAD) -> ft.Container:
    """A white rounded card with a hairline border: the one surface every list item uses."""
    return ft.Container(
        content=content,
        padding=padding,
        bgcolor=CARD,
        border_radius=RADIUS,
        border=ft.Border.all(1, BORDER),
    )


def section_title(text: str) -> ft.Text:
    return ft.Text(text, size=HEADING, weight=ft.FontWeight.W_600)


def muted(text: str, *, size: int = SMALL) -> ft.Text:
    return ft.Text(text, size=size, color=MUTED)


def pending_mark() -> ft.Control:
    """A small "not synced yet" mark for rows the server has not confirmed (``_pending``)."""
    return ft.Semantics(
        label="Not synced yet",
        content=ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.CLOUD_UPLOAD_OUTLINED, size=14, color=PENDING),
                    ft.Text("pending", size=SMALL, color=PENDING),
                ],
                spacing=4,
                tight=True,
            ),
            tooltip="Saved on this device; it will sync when the server is reachable",
        ),
    )


def screen_column(controls: list[ft.Control]) -> ft.Control:
    """A screen's content: scrolls by itself, at most ``MAX_WIDTH`` wide, centred."""
    return ft.Container(
        content=ft.Column(
            [
                ft.Container(
                    content=ft.Column(
                        controls,
                        spacing=GAP * 1.5,
                        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                    ),
                    width=content_width(),
                    padding=ft.Padding.symmetric(horizontal=PAD, vertical=PAD),
                )
            ],
            scroll=ft.ScrollMode.AUTO,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            expand=True,
        ),
        expand=True,
        alignment=ft.Alignment.TOP_CENTER,
    )


def content_width() -> float:
    """``MAX_WIDTH``, or the window's width when it is narrower (phones)."""
    try:
        window = ft.context.page.width
    except RuntimeError:  # rendered outside a page (plain unit tests)
        window = None
    return float(min(MAX_WIDTH, window)) if window else float(MAX_WIDTH)
