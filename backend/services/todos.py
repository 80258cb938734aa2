"""Todos: the caller's own simple todos, standalone or linked to one of their goals.

The table key is (userId, todoId), so a todo is always looked up in the caller's own
partition: someone else's todo id is simply not found there. Deleting leaves a tombstone (for
sync) that reads and lists skip; creating with the id of a tombstone replaces it. The mentor
assigned to a goal may read the todos linked to that goal (``listTodosForGoal``,
``Goal.todos``), never the user's other todos.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.choices import parse_choice
from domain.clock import parse_local_date
from domain.errors import Conflict, RuleViolation
from domain.text import require_text
from domain.todos import TEXT_MAX, TodoPriority

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext, Viewer
from .goals import owned_goal_for_link, require_readable_goal
from .ids import given_or_new_id
from .loaders import is_live
from .pages import all_live, clamp_limit, query_live
from .records import TodoItem, as_todo
from .writes import Changes, retrying


async def _todo_fields(
    ctx: ServiceContext, viewer: Viewer, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Validated fields present in ``data``; ``None`` clears ``goalId`` or ``dueDate``."""
    out: dict[str, Any] = {}
    for required in ("text", "done", "priority"):
        if required in data and data[required] is None:
            raise RuleViolation("cannot be cleared", field=required)
    if "text" in data:
        out["text"] = require_text(data["text"], field="text", max_length=TEXT_MAX)
    if "done" in data:
        out["done"] = bool(data["done"])
    if "priority" in data:
        out["priority"] = parse_choice(TodoPriority, data["priority"], "priority").value
    if "dueDate" in data:
        if data["dueDate"] is not None:
            parse_local_date(data["dueDate"], "dueDate")
        out["dueDate"] = data["dueDate"]
    if "goalId" in data:
        goal_id = data["goalId"]
        if goal_id is not None:
            goal_id = (await owned_goal_for_link(ctx, viewer, goal_id))["goalId"]
        out["goalId"] = goal_id
    return out


async def _read_own_todo(ctx: ServiceContext, viewer: Viewer, todo_id: str) -> Item:
    todo = await ctx.store.get(Table.TODOS, {"userId": viewer.user_id, "todoId": todo_id})
    if not is_live(todo):
        raise NotFound("no such todo")
    return todo


@retrying
async def create_todo(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    todo_id = given_or_new_id(data.get("todoId"), "todoId")
    fields = await _todo_fields(
        ctx,
        viewer,
        {
            **{k: v for k, v in data.items() if k in ("goalId", "dueDate") and v is not None},
            "text": data.get("text"),
            "priority": data.get("priority") or TodoPriority.MEDIUM.value,
        },
    )
    key = {"userId": viewer.user_id, "todoId": todo_id}
    existing = await ctx.store.get(Table.TODOS, key)
    if is_live(existing):
        raise Conflict("a todo with this id exists", field="todoId")
    changes = Changes(ctx)
    todo = changes.create(Table.TODOS, {**fields, **key, "done": False}, replacing=existing)
    await changes.commit()
    return todo


@retrying
async def update_todo(ctx: ServiceContext, todo_id: str, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    todo = await _read_own_todo(ctx, viewer, todo_id)
    fields = await _todo_fields(ctx, viewer, data)
    if all(todo.get(name) == value for name, value in fields.items()):
        return todo
    changes = Changes(ctx)
    updated = changes.update(Table.TODOS, todo, fields)
    await changes.commit()
    return updated


@retrying
async def toggle_todo(ctx: ServiceContext, todo_id: str) -> Item:
    viewer = ctx.require_viewer()
    todo = await _read_own_todo(ctx, viewer, todo_id)
    changes = Changes(ctx)
    updated = changes.update(Table.TODOS, todo, {"done": not todo.get("done", False)})
    await changes.commit()
    return updated


@retrying
async def delete_todo(ctx: ServiceContext, todo_id: str) -> Item:
    """Tombstone the todo; returns it as it was."""
    viewer = ctx.require_viewer()
    todo = await _read_own_todo(ctx, viewer, todo_id)
    changes = Changes(ctx)
    changes.delete(Table.TODOS, todo)
    await changes.commit()
    return todo


async def list_todos_for_user(
    ctx: ServiceContext, user_id: str, done: bool | None, limit: int | None
) -> list[TodoItem]:
    """The user's own todos, newest first (the table sorts by id, so they are sorted here)."""
    access.require_self(ctx.require_viewer(), user_id, "these todos")
    todos = await all_live(ctx, Table.TODOS, user_id)
    kept = [t for t in todos if done is None or bool(t.get("done")) == done]
    kept.sort(key=lambda t: str(t["createdAt"]), reverse=True)
    return [as_todo(item) for item in kept[: clamp_limit(limit)]]


async def list_todos_for_goal(
    ctx: ServiceContext, goal_id: str, limit: int | None
) -> list[TodoItem]:
    """The goal's todos, newest first: its owner or assigned mentor."""
    await require_readable_goal(ctx, goal_id)
    items, _ = await query_live(
        ctx, Table.TODOS, goal_id, index="TodosByGoal", ascending=False, limit=limit
    )
    return [as_todo(item) for item in items]
