"""Todos on the device: the list in the order to do them, and every edit queued locally.

Inputs are checked with the domain's rules before anything is written, so a refused edit
changes nothing and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.clock import parse_local_date
from domain.errors import RuleViolation
from domain.todos import (
    TodoPriority,
    check_due_date,
    check_todo_text,
    open_first_order,
    parse_priority,
)
from sync import Entity

from .context import UserContext


@dataclass(frozen=True)
class Todo:
    todo_id: str
    text: str
    done: bool
    priority: TodoPriority
    due: dt.date | None
    due_label: str
    """"Today", "Tomorrow", "Overdue · Mon 23 Nov", "Fri 27 Nov" or "" without a date."""
    overdue: bool
    pending: bool


@dataclass(frozen=True)
class TodosModel:
    today: dt.date
    open: tuple[Todo, ...]
    """Not done, by due date (soonest first, undated last), then priority, then age."""
    done: tuple[Todo, ...]


def load_todos(user: UserContext) -> TodosModel:
    today = user.today()
    rows = sorted(user.store.query(Entity.TODO, userId=user.user_id), key=open_first_order)
    todos = [_todo(row, today) for row in rows]
    return TodosModel(
        today=today,
        open=tuple(t for t in todos if not t.done),
        done=tuple(t for t in todos if t.done),
    )


def add_todo(
    user: UserContext,
    text: str,
    *,
    priority: str = TodoPriority.MEDIUM.value,
    due: str | dt.date | None = None,
) -> dict[str, Any]:
    checked = check_todo_text(text)
    level = parse_priority(priority)
    day = due if isinstance(due, dt.date) else check_due_date(due)
    return user.store.create_todo(
        checked, priority=level.value, due_date=day.isoformat() if day else None
    )


def toggle_done(user: UserContext, todo_id: str) -> dict[str, Any]:
    """A tap on the todo's check: the opposite of what the store holds now (never of what a
    possibly older screen showed)."""
    return user.store.toggle_todo(todo_id)


def set_priority(user: UserContext, todo_id: str, priority: str) -> dict[str, Any]:
    level = parse_priority(priority)
    return user.store.patch(Entity.TODO, _existing(user, todo_id), {"priority": level.value})


def set_due_date(user: UserContext, todo_id: str, due: str | dt.date | None) -> dict[str, Any]:
    """Set or (with ``None``) clear the due date."""
    day = due if isinstance(due, dt.date) else check_due_date(due)
    value = day.isoformat() if day else None
    return user.store.patch(Entity.TODO, _existing(user, todo_id), {"dueDate": value})


def delete_todo(user: UserContext, todo_id: str) -> None:
    user.store.delete(Entity.TODO, _existing(user, todo_id))


def due_label(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return ""
    if due == today:
        return "Today"
    if due == today + dt.timedelta(days=1):
        return "Tomorrow"
    text = f"{due:%a} {due.day} {due:%b}" + (f" {due.year}" if due.year != today.year else "")
    return f"Overdue · {text}" if due < today else text


def _existing(user: UserContext, todo_id: str) -> dict[str, str]:
    key = {"userId": user.user_id, "todoId": todo_id}
    if user.store.get(Entity.TODO, key) is None:
        raise LookupError(f"todo {todo_id} is not on this device")
    return key


def _todo(row: Mapping[str, Any], today: dt.date) -> Todo:
    try:
        priority = parse_priority(row.get("priority", TodoPriority.MEDIUM.value))
    except RuleViolation:
        priority = TodoPriority.MEDIUM
    try:
        due = parse_local_date(row["dueDate"], "dueDate") if row.get("dueDate") else None
    except RuleViolation:
        due = None
    done = bool(row.get("done"))
    return Todo(
        todo_id=str(row["todoId"]),
        text=str(row.get("text") or ""),
        done=done,
        priority=priority,
        due=due,
        due_label=due_label(due, today),
        overdue=due is not None and due < today and not done,
        pending=bool(row.get("_pending")),
    )
