"""Todo rules shared by the server and the device: the text, the priorities, and the order a
list shows them in (what to do next first)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from domain.choices import parse_choice
from domain.clock import parse_local_date
from domain.text import require_text

TEXT_MAX = 500


class TodoPriority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


_PRIORITY_RANK = {TodoPriority.HIGH: 0, TodoPriority.MEDIUM: 1, TodoPriority.LOW: 2}


def parse_priority(value: object) -> TodoPriority:
    """The priority as an enum member, else RuleViolation on "priority"."""
    return parse_choice(TodoPriority, value, "priority")


def check_todo_text(value: object) -> str:
    """A todo's text: required, at most ``TEXT_MAX`` characters; returned trimmed."""
    return require_text(value, field="text", max_length=TEXT_MAX).strip()


def check_due_date(value: object) -> date | None:
    """An optional due date as YYYY-MM-DD (None or blank means none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_local_date(value.strip() if isinstance(value, str) else value, "dueDate")


def open_first_order(todo: Mapping[str, Any]) -> tuple[bool, str, int, str]:
    """Sort key: open before done; then by due date (dated ones first, soonest first), then
    priority (high first), then the oldest first."""
    due = todo.get("dueDate")
    try:
        rank = _PRIORITY_RANK[TodoPriority(todo.get("priority", TodoPriority.MEDIUM))]
    except ValueError:
        rank = _PRIORITY_RANK[TodoPriority.MEDIUM]
    return (
        bool(todo.get("done")),
        due if isinstance(due, str) and due else "9999-12-31",
        rank,
        str(todo.get("createdAt", "")),
    )
