"""Todo rules: text, priority, due date, and the order a list shows them in."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.todos import (
    TodoPriority,
    check_due_date,
    check_todo_text,
    open_first_order,
    parse_priority,
)


def test_text_is_required_trimmed_and_capped() -> None:
    assert check_todo_text("  call Ana ") == "call Ana"
    for bad in ("", "   ", None, "x" * 501):
        with pytest.raises(RuleViolation) as err:
            check_todo_text(bad)
        assert err.value.field == "text"


def test_priority_and_due_date_are_parsed_strictly() -> None:
    assert parse_priority("high") is TodoPriority.HIGH
    with pytest.raises(RuleViolation):
        parse_priority("urgent")
    assert check_due_date(" 2026-11-30 ") == date(2026, 11, 30)
    assert check_due_date("") is None and check_due_date(None) is None
    with pytest.raises(RuleViolation) as err:
        check_due_date("30/11/2026")
    assert err.value.field == "dueDate"


def test_open_first_then_due_date_then_priority_then_age() -> None:
    todos = [
        {"todoId": "done", "done": True, "dueDate": "2026-11-01", "priority": "high"},
        {"todoId": "undated-high", "done": False, "priority": "high"},
        {"todoId": "late-low", "done": False, "dueDate": "2026-12-01", "priority": "low"},
        {"todoId": "soon-low", "done": False, "dueDate": "2026-11-25", "priority": "low"},
        {"todoId": "soon-high", "done": False, "dueDate": "2026-11-25", "priority": "high"},
        {"todoId": "undated-old", "done": False, "createdAt": "2026-01-01", "priority": "high"},
    ]
    ordered = [t["todoId"] for t in sorted(todos, key=open_first_order)]
    assert ordered == [
        "soon-high",
        "soon-low",
        "late-low",
        "undated-high",
        "undated-old",
        "done",
    ]
