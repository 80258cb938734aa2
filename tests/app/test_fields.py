"""Fields keep what the user typed or picked when the screen is redrawn between the client's
new value and its ``change`` event (Flet sends the two apart; a redraw in between used to send
an older value back: lost letters, undone picks), and still take a value the form sets."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.views.fields import choice_field, text_field
from tests.app.flet_page import FakePage, walk


@ft.component
def Form() -> ft.Control:
    text, set_text = ft.use_state("")
    pick, set_pick = ft.use_state("a")
    redraws, set_redraws = ft.use_state(0)
    return ft.Column(
        [
            text_field("note", "Note", text, set_text),
            choice_field("pick", "Pick", pick, [("a", "A"), ("b", "B"), ("c", "C")], set_pick),
            ft.Text(f"saved: {text} / {pick} / {redraws}"),
            ft.Semantics(
                identifier="redraw",
                content=ft.TextButton("redraw", on_click=lambda _: set_redraws(redraws + 1)),
            ),
            ft.Semantics(
                identifier="clear",
                content=ft.TextButton("clear", on_click=lambda _: (set_text(""), set_pick("c"))),
            ),
        ]
    )


def inner(fake_page: FakePage, identifier: str, kind: type) -> Any:
    found = [c for c in walk(fake_page.by_id(identifier)) if isinstance(c, kind)]
    assert len(found) == 1
    return found[0]


def sent_values(fake_page: FakePage) -> list[Any]:
    """Every ``value`` Python sent to the client in a patch, in order."""
    return [
        operation[3]
        for message in fake_page.connection.messages
        for operation in getattr(message.body, "patch", [])[1:]
        if len(operation) == 4 and operation[2] == "value"
    ]


async def test_a_redraw_between_keystroke_and_event_keeps_the_typed_text(
    fake_page: FakePage,
) -> None:
    fake_page.render(Form)
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("note"), "ab")
    field = inner(fake_page, "note", ft.TextField)
    fake_page.session.apply_patch(field._i, {"value": "abc"})  # typed; its event not yet in
    fake_page.connection.messages.clear()
    await fake_page.click(fake_page.by_id("redraw"))  # the form still holds "ab"
    assert "ab" not in sent_values(fake_page), "an older text was sent back over the typing"
    field = inner(fake_page, "note", ft.TextField)
    assert field.value == "abc"
    await fake_page.session.dispatch_event(field._i, "change", None)
    await fake_page.settle()
    assert "saved: abc / a / 1" in fake_page.texts()


async def test_a_redraw_between_a_pick_and_its_event_keeps_the_pick(fake_page: FakePage) -> None:
    fake_page.render(Form)
    await fake_page.settle()
    dropdown = inner(fake_page, "pick", ft.Dropdown)
    fake_page.session.apply_patch(dropdown._i, {"value": "b"})
    await fake_page.click(fake_page.by_id("redraw"))
    dropdown = inner(fake_page, "pick", ft.Dropdown)
    assert dropdown.value == "b"
    await fake_page.session.dispatch_event(dropdown._i, "select", "b")
    await fake_page.settle()
    assert "saved:  / b / 1" in fake_page.texts()


async def test_a_value_the_form_sets_replaces_the_typed_one(fake_page: FakePage) -> None:
    fake_page.render(Form)
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("note"), "buy milk")
    await fake_page.select(fake_page.by_id("pick"), "b")
    fake_page.connection.messages.clear()
    await fake_page.click(fake_page.by_id("clear"))
    assert inner(fake_page, "note", ft.TextField).value == ""
    assert inner(fake_page, "pick", ft.Dropdown).value == "c"
    assert {"", "c"} <= set(sent_values(fake_page))
    await fake_page.type_into(fake_page.by_id("note"), "x")
    assert "saved: x / c / 0" in fake_page.texts()
