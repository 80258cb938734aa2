"""Strict mypy catches a misspelled attribute of a typed item (``services.records``)."""

from __future__ import annotations

from pathlib import Path

from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """
from backend.services.records import GoalItem, TodoItem

def goal_id(goal: GoalItem) -> str:
    return goal["{goal_key}"]

def todo_done(todo: TodoItem) -> bool:
    return bool(todo["{todo_key}"])
"""


def check(tmp_path: Path, **keys: str) -> tuple[str, int]:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET.format(**keys))
    out, err, status = mypy_api.run(
        [
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(source),
        ]
    )
    return out + err, status


def test_a_misspelled_key_is_a_type_error(tmp_path: Path) -> None:
    report, status = check(tmp_path, goal_key="goalID", todo_key="isDone")
    assert status == 1
    assert 'TypedDict "GoalItem" has no key "goalID"' in report
    assert 'TypedDict "TodoItem" has no key "isDone"' in report


def test_the_right_keys_pass(tmp_path: Path) -> None:
    report, status = check(tmp_path, goal_key="goalId", todo_key="done")
    assert status == 0, report
