"""Form fields as the app's forms use them: labelled, found by a Semantics identifier (tests
and screen readers), reporting each change to a plain callback.

The client applies what the user types or picks before Python hears of it, and Flet tells
Python in two steps: the new value at once, the ``change`` event later, in a task of its own.
A re-render in between (the form's state after an earlier keystroke, a sync status change)
would diff the field against a value the client has already left behind and send that older
value back: typed letters vanish, a pick is undone. So a field re-renders with what the client
shows, and takes the form's value only when the form sets one the client never reported (a
cleared field after "Add", a draft loaded for editing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft
from flet.components.hooks.use_ref import MutableRef


class _ClientValue:
    """What a field last rendered and what its client last reported, kept across renders."""

    def __init__(self, value: str | None) -> None:
        self.control: ft.TextField | ft.Dropdown | None = None
        self.given = value
        self.reported: str | None = None

    def shown(self, value: str | None) -> str | None:
        """The value to render: the client's own, unless the form set a new one."""
        control = self.control
        echoed = value == self.given or value == self.reported
        self.given = value
        if control is not None and echoed:
            return control.value
        return value

    def report(self, value: str | None) -> str | None:
        self.reported = value
        return value


def _client_value(value: str | None) -> _ClientValue:
    kept: MutableRef[_ClientValue] = ft.use_ref(None)
    if kept.current is None:
        kept.current = _ClientValue(value)
    client: _ClientValue = kept.current
    return client


@ft.component
def TextInput(
    identifier: str,
    label: str,
    value: str,
    on_change: Callable[[str], None],
    options: dict[str, Any],
    spoken: str,
) -> ft.Control:
    client = _client_value(value)
    field = ft.TextField(
        label=label,
        value=client.shown(value) or "",
        on_change=lambda e: on_change(client.report(e.control.value or "") or ""),
        **options,
    )
    client.control = field
    return ft.Semantics(
        identifier=identifier,
        label=spoken,
        textfield=True,
        expand=options.get("expand", False),
        content=field,
    )


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
    spoken: str | None = None,
    **options: Any,
) -> ft.Control:
    """A text field; ``on_change`` gets the text on every keystroke; ``spoken`` is what a
    screen reader says (default: ``label``); ``options`` go to the ``TextField``
    (``min_lines``, ``on_submit``, ``width``, ``error``...)."""
    if multiline:
        options = {"min_lines": 3, "max_lines": 6, **options}
    options = {
        "password": password,
        "can_reveal_password": password,
        "multiline": multiline,
        "hint_text": hint,
        "keyboard_type": keyboard,
        **options,
    }
    if expand:
        options["expand"] = True
    return TextInput(identifier, label, value, on_change, options, spoken or label)


@ft.component
def ChoiceInput(
    identifier: str,
    label: str,
    value: str | None,
    choices: list[tuple[str, str]],
    chosen: Callable[[str], None],
    options: dict[str, Any],
    spoken: str,
) -> ft.Control:
    client = _client_value(value)

    def selected(e: ft.Event[ft.Dropdown]) -> None:
        key = client.report(e.control.value)
        if key:
            chosen(key)

    dropdown = ft.Dropdown(
        label=label,
        value=client.shown(value),
        options=[ft.DropdownOption(key=key, text=text) for key, text in choices],
        on_select=selected,
        **options,
    )
    client.control = dropdown
    return ft.Semantics(identifier=identifier, label=spoken, content=dropdown)


def choice_field(
    identifier: str,
    label: str,
    value: str | None,
    choices: list[tuple[str, str]],
    chosen: Callable[[str], None],
    *,
    spoken: str | None = None,
    **options: Any,
) -> ft.Control:
    """A drop-down of ``choices`` (key, text) found by ``identifier``; ``chosen`` gets the key;
    ``spoken`` is what a screen reader says (default: ``label``)."""
    return ChoiceInput(identifier, label, value, choices, chosen, options, spoken or label)
