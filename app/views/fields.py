"""Text fields as the app's forms use them: labelled, found by a Semantics identifier (tests
and screen readers), reporting each keystroke's text to ``on_change``."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft


def text_field(
    identifier: str,
    label: str,
    value: str,
    on_change: Callable[[str], None],
    *,
    password: bool = False,
    multiline: bool = False,
    hint: str | None = None,
    keyboard: ft.KeyboardType = ft.KeyboardType.TEXT,
    expand: bool = False,
) -> ft.Control:
    return ft.Semantics(
        identifier=identifier,
        label=label,
        expand=expand,
        content=ft.TextField(
            label=label,
            value=value,
            password=password,
            can_reveal_password=password,
            multiline=multiline,
            min_lines=3 if multiline else None,
            max_lines=6 if multiline else None,
            hint_text=hint,
            keyboard_type=keyboard,
            on_change=lambda e: on_change(e.control.value or ""),
        ),
    )
