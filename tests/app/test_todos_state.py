"""The todos state layer on a real device file: order, and the local change of each action."""

from __future__ import annotations

import datetime as dt

import pytest

from app.state.context import UserContext
from app.state.todos import (
    add_todo,
    delete_todo,
    due_label,
    load_todos,
    set_due_date,
    set_priority,
    toggle_done,
)
from domain.errors import RuleViolation
from sync import Entity
from tests.app.conftest import USER
from tests.app.seeding import from_server

TODAY = dt.date(2026, 11, 24)


def row(user: UserContext, todo_id: str) -> dict[str, object] | None:
    return user.store.get(Entity.TODO, {"userId": USER, "todoId": todo_id})


def test_add_queues_the_todo_with_priority_and_due_date(user: UserContext) -> None:
    made = add_todo(user, "  book dentist ", priority="high", due="2026-11-27")
    stored = row(user, made["todoId"])
    assert stored is not None and stored["_pending"]
    assert (stored["text"], stored["priority"], stored["dueDate"], stored["done"]) == (
        "book dentist",
        "high",
        "2026-11-27",
        False,
    )
    (todo,) = load_todos(user).open
    assert todo.due_label == "Fri 27 Nov" and todo.pending and not todo.overdue


def test_bad_input_is_refused_and_writes_nothing(user: UserContext) -> None:
    for text, priority, due, field in (
        ("", "medium", None, "text"),
        ("x" * 501, "medium", None, "text"),
        ("ok", "urgent", None, "priority"),
        ("ok", "low", "next friday", "dueDate"),
    ):
        with pytest.raises(RuleViolation) as err:
            add_todo(user, text, priority=priority, due=due)
        assert err.value.field == field
    assert user.store.status().pending == 0


def test_complete_reopen_priority_due_date_and_delete_are_queued(user: UserContext) -> None:
    todo_id = add_todo(user, "write plan")["todoId"]
    toggle_done(user, todo_id)
    assert row(user, todo_id)["done"] is True  # type: ignore[index]
    assert load_todos(user).done[0].todo_id == todo_id
    toggle_done(user, todo_id)
    set_priority(user, todo_id, "low")
    set_due_date(user, todo_id, dt.date(2026, 11, 23))
    stored = row(user, todo_id)
    assert stored is not None
    assert (stored["done"], stored["priority"], stored["dueDate"]) == (False, "low", "2026-11-23")
    assert load_todos(user).open[0].overdue
    set_due_date(user, todo_id, None)
    assert row(user, todo_id)["dueDate"] is None  # type: ignore[index]
    with pytest.raises(RuleViolation):
        set_priority(user, todo_id, "someday")
    delete_todo(user, todo_id)
    assert row(user, todo_id) is None and load_todos(user).open == ()
    with pytest.raises(LookupError):
        toggle_done(user, todo_id)


def test_open_first_by_due_date_and_priority_done_ones_apart(user: UserContext) -> None:
    from_server(
        user.store,
        Entity.TODO,
        {"userId": USER, "todoId": "a", "text": "undated", "priority": "high", "done": False},
        {"userId": USER, "todoId": "b", "text": "late", "dueDate": "2026-12-03", "done": False},
        {"userId": USER, "todoId": "c", "text": "overdue", "dueDate": "2026-11-20", "done": False},
        {"userId": USER, "todoId": "d", "text": "done", "dueDate": "2026-11-01", "done": True},
    )
    model = load_todos(user)
    assert [t.text for t in model.open] == ["overdue", "late", "undated"]
    assert [t.text for t in model.done] == ["done"]
    assert model.open[0].due_label == "Overdue · Fri 20 Nov" and model.open[0].overdue
    assert not model.done[0].overdue and not model.open[0].pending


def test_due_labels_read_like_a_person_would_say_them() -> None:
    assert due_label(None, TODAY) == ""
    assert due_label(TODAY, TODAY) == "Today"
    assert due_label(dt.date(2026, 11, 25), TODAY) == "Tomorrow"
    assert due_label(dt.date(2027, 1, 4), TODAY) == "Mon 4 Jan 2027"
