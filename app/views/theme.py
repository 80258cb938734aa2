"""One palette, type scale and spacing for every screen, so screens built apart look alike."""

from __future__ import annotations

from collections.abc import Callable
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


def screen_body(controls: list[ft.Control]) -> ft.Column:
    """A screen's scrolling content: one column at most ``MAX_WIDTH`` wide, centred (the
    aligning container fills the window's width and clamps the fixed width to it, so phones
    get the full width)."""
    return ft.Column(
        [
            ft.Container(
                content=ft.Container(
                    content=ft.Column(
                        controls, spacing=PAD, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
                    ),
                    width=MAX_WIDTH,
                    padding=ft.Padding.symmetric(horizontal=PAD, vertical=PAD),
                ),
                alignment=ft.Alignment.TOP_CENTER,
            )
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )


def pending_mark(text: str = "Not synced yet") -> ft.Control:
    """The subtle mark on a row the server has not confirmed (``_pending``): a small cloud
    and a word."""
    return ft.Semantics(
        label=text,
        content=ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.CLOUD_UPLOAD_OUTLINED, size=14, color=PENDING),
                    ft.Text(text, size=SMALL, color=PENDING),
                ],
                spacing=4,
                tight=True,
            ),
            tooltip="Saved on this device; it will sync when the server is reachable",
        ),
    )


def empty_state(icon: ft.IconData, title: str, hint: str) -> ft.Control:
    """A friendly placeholder for a list with nothing in it yet."""
    return ft.Container(
        content=ft.Column(
            [
                ft.Icon(icon, size=36, color=MUTED),
                ft.Text(title, size=BODY, weight=ft.FontWeight.W_500),
                ft.Text(hint, size=SMALL, color=MUTED, text_align=ft.TextAlign.CENTER),
            ],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=6,
        ),
        padding=ft.Padding.symmetric(vertical=20, horizontal=PAD),
        alignment=ft.Alignment.CENTER,
    )


def text_input(
    identifier: str, label: str, value: str, changed: Callable[[str], None], **options: Any
) -> ft.Semantics:
    """A text field that screen readers and tests find by ``identifier``; ``changed`` gets
    the text on every keystroke; ``options`` go to the ``TextField``."""
    return ft.Semantics(
        identifier=identifier,
        label=label,
        textfield=True,
        content=ft.TextField(
            value=value,
            label=label,
            on_change=lambda e: changed(e.control.value or ""),
            **options,
        ),
    )


def choice_input(
    identifier: str,
    label: str,
    value: str | None,
    choices: list[tuple[str, str]],
    chosen: Callable[[str], None],
    **options: Any,
) -> ft.Semantics:
    """A drop-down of ``choices`` (key, text) found by ``identifier``; ``chosen`` gets the key."""
    return ft.Semantics(
        identifier=identifier,
        label=label,
        content=ft.Dropdown(
            label=label,
            value=value,
            options=[ft.DropdownOption(key=key, text=text) for key, text in choices],
            on_select=lambda e: chosen(e.control.value) if e.control.value else None,
            **options,
        ),
    )


def primary_button(
    identifier: str, label: str, text: str, icon: ft.IconData, on_click: Callable[[Any], None]
) -> ft.Semantics:
    """The screen's main action (save, add): filled in the brand colour, found by
    ``identifier``."""
    return ft.Semantics(
        identifier=identifier,
        label=label,
        button=True,
        content=ft.Button(
            text,
            icon=icon,
            on_click=on_click,
            style=ft.ButtonStyle(
                bgcolor=PRIMARY,
                color=ON_PRIMARY,
                padding=ft.Padding.symmetric(horizontal=20, vertical=14),
            ),
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
