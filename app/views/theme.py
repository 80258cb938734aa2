"""One palette, type scale and spacing for every screen, so screens built apart look alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

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
PENDING_WORDS = "Not synced yet"

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
    """Material 3 from the seed, with the brand green itself as ``primary`` so filled buttons
    match the green of the marks and rings."""
    return ft.Theme(
        color_scheme_seed=SEED,
        color_scheme=ft.ColorScheme(primary=PRIMARY, on_primary=ON_PRIMARY),
        use_material3=True,
    )


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


def pending_mark(*, compact: bool = False) -> ft.Control:
    """The one mark on a row the server has not confirmed (``_pending``): a small cloud and
    "Not synced yet", or the bare cloud where a row has no room for words."""
    icon = ft.Icon(ft.Icons.CLOUD_UPLOAD_OUTLINED, size=14, color=PENDING)
    words = ft.Text(PENDING_WORDS, size=SMALL, color=PENDING, no_wrap=True, max_lines=1)
    return ft.Semantics(
        label=PENDING_WORDS,
        content=ft.Container(
            content=icon if compact else ft.Row([icon, words], spacing=4, tight=True),
            tooltip="Saved on this device; it will sync when the server is reachable",
        ),
    )


def screen_title(
    text: str,
    subtitle: str | None = None,
    *,
    identifier: str | None = None,
    action: ft.Control | None = None,
) -> ft.Control:
    """The title every screen opens with (its name, a muted line under it, an optional action
    on the right), so the screens built apart read alike."""
    title: ft.Control = ft.Text(text, size=TITLE, weight=ft.FontWeight.W_700)
    if identifier:
        title = ft.Semantics(identifier=identifier, header=True, content=title)
    lines = [title] + ([muted(subtitle, size=BODY)] if subtitle else [])
    column = ft.Column(lines, spacing=2, expand=True)
    if action is None:
        return column
    return ft.Row([column, action], vertical_alignment=ft.CrossAxisAlignment.CENTER)


def empty_state(
    icon: ft.IconData,
    title: str,
    hint: str,
    *,
    action: ft.Control | None = None,
    framed: bool = True,
) -> ft.Control:
    """Why a list or chart has nothing to show yet and what to do about it: a full-width card,
    or bare (``framed=False``) where it already sits in a card."""
    column = ft.Column(
        [
            ft.Icon(icon, size=40, color=PRIMARY),
            ft.Text(
                title, size=HEADING, weight=ft.FontWeight.W_600, text_align=ft.TextAlign.CENTER
            ),
            ft.Text(hint, size=BODY, color=MUTED, text_align=ft.TextAlign.CENTER),
            *([action] if action else []),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=GAP,
    )
    body = ft.Container(
        content=column,
        padding=ft.Padding.symmetric(vertical=PAD, horizontal=PAD),
        alignment=ft.Alignment.CENTER,
    )
    return card(body, padding=PAD) if framed else body


def primary_button(
    identifier: str,
    label: str,
    text: str,
    icon: ft.IconData,
    on_click: Callable[[Any], None] | Callable[[], Awaitable[None]],
) -> ft.Semantics:
    """The screen's main action (save, add): a filled button like every other screen's, found
    by ``identifier``. An action that needs the server is an ``async def`` (Flet awaits only a
    coroutine function)."""
    return ft.Semantics(
        identifier=identifier,
        label=label,
        button=True,
        content=ft.FilledButton(text, icon=icon, on_click=on_click),
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
