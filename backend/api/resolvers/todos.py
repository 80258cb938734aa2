"""Todos: thin resolvers over ``services.todos``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import todos
from ...services.records import TodoItem
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
todo_type = ObjectType("Todo")


@query.field("listTodosForUser")
async def resolve_list_todos_for_user(
    _: Any, info: Info, userId: str, done: bool | None = None, limit: int | None = None
) -> list[TodoItem]:
    return await todos.list_todos_for_user(ctx_of(info), userId, done, limit)


@query.field("listTodosForGoal")
async def resolve_list_todos_for_goal(
    _: Any, info: Info, goalId: str, limit: int | None = None
) -> list[TodoItem]:
    return await todos.list_todos_for_goal(ctx_of(info), goalId, limit)


@mutation.field("createTodo")
async def resolve_create_todo(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await todos.create_todo(ctx_of(info), input)


@mutation.field("updateTodo")
async def resolve_update_todo(_: Any, info: Info, todoId: str, input: dict[str, Any]) -> Item:
    return await todos.update_todo(ctx_of(info), todoId, input)


@mutation.field("toggleTodo")
async def resolve_toggle_todo(_: Any, info: Info, todoId: str) -> Item:
    return await todos.toggle_todo(ctx_of(info), todoId)


@mutation.field("deleteTodo")
async def resolve_delete_todo(_: Any, info: Info, todoId: str) -> Item:
    return await todos.delete_todo(ctx_of(info), todoId)


@todo_type.field("user")
async def resolve_todo_user(todo: TodoItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(todo["userId"])


@todo_type.field("goal")
async def resolve_todo_goal(todo: TodoItem, info: Info) -> Item | None:
    ctx = ctx_of(info)
    return await ctx.loaders.load(ctx.loaders.goal, todo.get("goalId"))


@todo_type.field("done")
def resolve_todo_done(todo: TodoItem, _: Info) -> bool:
    return bool(todo.get("done", False))


bindables = [query, mutation, todo_type]
