"""Form fields as the app's forms use them: labelled, found by a Semantics identifier (tests
and screen readers), reporting each change to a plain callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    **options: Any,
) -> ft.Control:
    """A text field; ``on_change`` gets the text on every keystroke; ``options`` go to the
    ``TextField`` (``min_lines``, ``on_submit``, ``width``...)."""
    if multiline:
        options = {"min_lines": 3, "max_lines": 6, **options}
    return ft.Semantics(
        identifier=identifier,
        label=label,
        textfield=True,
        expand=expand,
        content=ft.TextField(
            label=label,
            value=value,
            password=password,
            can_reveal_password=password,
            multiline=multiline,
            hint_text=hint,
            keyboard_type=keyboard,
            on_change=lambda e: on_change(e.control.value or ""),
            **options,
        ),
    )


def choice_field(
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
