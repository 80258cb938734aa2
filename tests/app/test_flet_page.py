"""The client-free page harness itself: a component renders, a click re-renders it."""

from __future__ import annotations

import flet as ft

from tests.app.flet_page import FakePage


@ft.component
def Counter() -> ft.Control:
    count, set_count = ft.use_state(0)
    return ft.Column(
        [
            ft.Text(f"clicked {count} times"),
            ft.Semantics(
                identifier="bump",
                label="Bump",
                content=ft.Button("Bump", on_click=lambda _: set_count(count + 1)),
            ),
        ]
    )


async def test_click_re_renders(fake_page: FakePage) -> None:
    fake_page.render(Counter)
    await fake_page.settle()
    assert "clicked 0 times" in fake_page.texts()
    await fake_page.click(fake_page.by_id("bump"))
    assert "clicked 1 times" in fake_page.texts()
