"""TodosScreen with no client: add, complete, priority, due date and delete write locally."""

from __future__ import annotations

from dataclasses import replace

import flet as ft

from app.state.context import ScreenContext
from app.views.todos import TodosScreen
from sync import Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server


def show(fake_page: FakePage, screen: ScreenContext) -> list[str]:
    told: list[str] = []
    ctx = replace(screen, notify=told.append)
    fake_page.render(lambda: TodosScreen(ctx))
    return told


def todos(screen: ScreenContext) -> list[dict[str, object]]:
    return screen.user.store.query(Entity.TODO, userId=USER)


def todo(screen: ScreenContext, todo_id: str) -> dict[str, object] | None:
    return screen.user.store.get(Entity.TODO, {"userId": USER, "todoId": todo_id})


def seed(screen: ScreenContext) -> None:
    from_server(
        screen.user.store,
        Entity.TODO,
        {"userId": USER, "todoId": "t-run", "text": "Plan long run", "priority": "low"},
        {
            "userId": USER,
            "todoId": "t-late",
            "text": "Call Ana",
            "priority": "high",
            "dueDate": "2026-11-22",
        },
        {"userId": USER, "todoId": "t-old", "text": "Buy shoes", "done": True},
    )


async def menu(fake_page: FakePage, todo_id: str, item: str) -> None:
    button = fake_page.by_id(f"todo-menu-{todo_id}")
    (choice,) = [
        i
        for i in fake_page.find(lambda c: isinstance(c, ft.PopupMenuItem))
        if i.content == item and any(i is x for x in button.content.items)
    ]
    await fake_page.click(choice)


async def test_an_empty_list_is_friendly(fake_page: FakePage, screen: ScreenContext) -> None:
    show(fake_page, screen)
    await fake_page.settle()
    assert {"Nothing open", "A clear list"} <= set(fake_page.texts())


async def test_adding_with_priority_and_due_date(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    show(fake_page, screen)
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("todo-new"), "Book physio")
    await fake_page.fire(fake_page.by_id("todo-new-priority"), "select", value="high")
    await fake_page.type_into(fake_page.by_id("todo-new-due"), "2026-11-25")
    await fake_page.click(fake_page.by_id("todo-add"))
    (row,) = todos(screen)
    assert (row["text"], row["priority"], row["dueDate"], row["done"], row["_pending"]) == (
        "Book physio",
        "high",
        "2026-11-25",
        False,
        True,
    )
    texts = fake_page.texts()
    assert {"Book physio", "Tomorrow", "High", "Not synced yet", "1 open"} <= set(texts)
    field = fake_page.find(lambda c: isinstance(c, ft.TextField) and c.label == "Add a to-do")[0]
    assert field.value == ""  # ready for the next one


async def test_enter_in_the_text_field_adds_too(fake_page: FakePage, screen: ScreenContext) -> None:
    show(fake_page, screen)
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("todo-new"), "Stretch")
    await fake_page.fire(fake_page.by_id("todo-new"), "submit")
    assert [t["text"] for t in todos(screen)] == ["Stretch"]


async def test_bad_input_says_why_and_adds_nothing(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    told = show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("todo-add"))
    await fake_page.type_into(fake_page.by_id("todo-new"), "Stretch")
    await fake_page.type_into(fake_page.by_id("todo-new-due"), "friday")
    await fake_page.click(fake_page.by_id("todo-add"))
    assert told == [
        "Not saved: must not be empty",
        "Not saved: expected a date as YYYY-MM-DD, got 'friday'",
    ]
    assert todos(screen) == []


async def test_open_first_by_due_date_done_ones_folded(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    seed(screen)
    show(fake_page, screen)
    await fake_page.settle()
    texts = fake_page.texts()
    assert texts.index("Call Ana") < texts.index("Plan long run") < texts.index("Buy shoes")
    assert {"2 open · 1 overdue", "Overdue · Sun 22 Nov", "Done (1)"} <= set(texts)
    (folded,) = fake_page.find(lambda c: isinstance(c, ft.ExpansionTile))
    assert folded.expanded is False
    assert fake_page.by_id("todo-done-t-old").checked is True


async def test_complete_and_reopen(fake_page: FakePage, screen: ScreenContext) -> None:
    seed(screen)
    show(fake_page, screen)
    await fake_page.settle()
    await fake_page.fire(fake_page.by_id("todo-done-t-run"), "change", value=True)
    assert todo(screen, "t-run")["done"] is True  # type: ignore[index]
    assert "Done (2)" in fake_page.texts()
    await fake_page.fire(fake_page.by_id("todo-done-t-old"), "change", value=False)
    assert todo(screen, "t-old")["done"] is False  # type: ignore[index]


async def test_priority_due_date_and_delete_from_the_menu(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    seed(screen)
    told = show(fake_page, screen)
    await fake_page.settle()
    await menu(fake_page, "t-run", "High priority")
    assert todo(screen, "t-run")["priority"] == "high"  # type: ignore[index]
    await menu(fake_page, "t-run", "Due today")
    assert todo(screen, "t-run")["dueDate"] == "2026-11-24"  # type: ignore[index]
    await menu(fake_page, "t-run", "Due tomorrow")
    assert todo(screen, "t-run")["dueDate"] == "2026-11-25"  # type: ignore[index]
    await menu(fake_page, "t-run", "No due date")
    assert todo(screen, "t-run")["dueDate"] is None  # type: ignore[index]
    await menu(fake_page, "t-late", "Delete")
    assert todo(screen, "t-late") is None and told == ["Todo deleted"]
    assert "Call Ana" not in fake_page.texts()
