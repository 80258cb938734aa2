"""Small pieces the screens share: a labelled control, a form's buttons and card, options side
by side, a status chip."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.views import theme


def labelled(identifier: str, label: str, control: ft.Control) -> ft.Semantics:
    """A control with a stable identifier for tests and a label for screen readers."""
    return ft.Semantics(identifier=identifier, label=label, content=control)


def form_buttons(
    prefix: str, save_label: str, on_save: Callable[[], None], on_cancel: Callable[[], None]
) -> ft.Row:
    """Cancel / Save, right-aligned, as every form of these screens ends."""
    return ft.Row(
        [
            cancel_button(f"{prefix}-cancel", "Cancel", "Cancel", on_cancel),
            labelled(
                f"{prefix}-save",
                save_label,
                ft.FilledButton(save_label, on_click=lambda _: on_save()),
            ),
        ],
        alignment=ft.MainAxisAlignment.END,
    )


def form_ending(error: str | None, actions: list[ft.Control]) -> list[ft.Control]:
    """How a form ends: what went wrong, if anything, then its actions on the right."""
    ending: list[ft.Control] = []
    if error:
        ending.append(ft.Text(error, color=theme.DANGER, size=theme.BODY))
    ending.append(ft.Row(actions, alignment=ft.MainAxisAlignment.END))
    return ending


def cancel_button(
    identifier: str, spoken: str, text: str, on_cancel: Callable[[], None]
) -> ft.Control:
    return labelled(identifier, spoken, ft.TextButton(text, on_click=lambda _: on_cancel()))


def choice_button(
    identifier: str,
    text: str,
    selected: bool,
    choose: Callable[[], None],
    icon: ft.IconData | None = None,
) -> ft.Control:
    """One of a few side-by-side options (virtual or in person, all events or mine): filled
    when chosen, outlined otherwise, sharing the row's width."""
    button = (ft.FilledButton if selected else ft.OutlinedButton)(
        text, icon=icon, on_click=lambda _: choose(), expand=True
    )
    return ft.Semantics(
        identifier=identifier,
        label=text,
        button=True,
        selected=selected,
        content=button,
        expand=True,
    )


def send_button(identifier: str, text: str, on_send: Callable[[], Awaitable[None]]) -> ft.Semantics:
    """A form's send action that needs the server: an ``async`` handler (Flet awaits only a
    coroutine function, so ``theme.primary_button`` with a lambda would never send)."""
    return ft.Semantics(
        identifier=identifier,
        label=text,
        button=True,
        content=ft.FilledButton(text, icon=ft.Icons.SEND, on_click=on_send),
    )


def form_card(rows: list[ft.Control]) -> ft.Container:
    """A form in a card, its fields as wide as the card."""
    return theme.card(
        ft.Column(rows, spacing=theme.GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    )


def status_chip(text: str, color: str) -> ft.Container:
    """A small outlined label for a goal's or a habit's status."""
    return ft.Container(
        content=ft.Text(text, size=theme.SMALL, color=color, weight=ft.FontWeight.W_600),
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
        border_radius=10,
        border=ft.Border.all(1, color),
    )


def sentence(message: str) -> str:
    """A domain message ("a habit takes 1 to 2 minutes, got 5") as the user reads it."""
    return message[:1].upper() + message[1:]


def back_link(identifier: str, spoken: str, text: str, go: Callable[[], None]) -> ft.Control:
    """The way back at the top left, where a back arrow is looked for (a bare button in a
    screen's stretched column would sit centred)."""
    return ft.Row(
        [
            ft.Semantics(
                identifier=identifier,
                label=spoken,
                button=True,
                content=ft.TextButton(text, icon=ft.Icons.ARROW_BACK, on_click=lambda _: go()),
            )
        ]
    )
