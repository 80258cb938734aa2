"""``LeafListExecutor``: lists of flat objects completed in one loop give exactly what
graphql-core's standard executor gives, values, errors and paths alike."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    ExecutionResult,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    build_schema,
    execute,
    parse,
)

from tests.api.counting_executor import CountingExecutor

SDL = """
enum Color { RED GREEN }
type Row { id: ID!, n: Int, on: Boolean, color: Color, label: String }
type Query { rows: [Row!]! }
"""


def run(schema: GraphQLSchema, query: str, rows: Any, executor: Any) -> ExecutionResult:
    result = execute(schema, parse(query), root_value={"rows": rows}, executor_class=executor)
    assert isinstance(result, ExecutionResult)
    return result


def both(schema: GraphQLSchema, query: str, rows: Any) -> tuple[ExecutionResult, bool]:
    """The standard result, after checking the fast executor's equals it; and whether the
    one-loop path took the list."""
    before = CountingExecutor.flat
    fast = run(schema, query, rows, CountingExecutor)
    standard = run(schema, query, rows, None)
    assert fast.data == standard.data
    assert [(e.message, e.path) for e in fast.errors or []] == [
        (e.message, e.path) for e in standard.errors or []
    ]
    return standard, CountingExecutor.flat > before


ROWS = [
    {"id": "1", "n": 3, "on": True, "color": "RED", "label": "a"},
    {"id": "2", "n": None, "on": False, "color": "GREEN"},
]


def test_flat_rows_take_one_loop_with_aliases_and_repeated_fields():
    schema = build_schema(SDL)
    query = "{ rows { id again: id n on color label id } }"
    result, flat = both(schema, query, ROWS)
    assert flat
    assert result.data == {
        "rows": [
            {"id": "1", "again": "1", "n": 3, "on": True, "color": "RED", "label": "a"},
            {"id": "2", "again": "2", "n": None, "on": False, "color": "GREEN", "label": None},
        ]
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"id": None},  # null in a non-null field
        {"id": "3", "n": 2**40},  # beyond GraphQL's Int
        {"id": "3", "color": "BLUE"},  # not a value of the enum
        {"id": "3", "label": lambda _info: "called"},  # the default resolver calls it
    ],
)
def test_anything_unusual_goes_the_standard_way_with_its_errors(bad):
    schema = build_schema(SDL)
    _, flat = both(schema, "{ rows { id n color label } }", [*ROWS, bad])
    assert not flat


def test_values_coerced_by_their_type_not_refused():
    schema = build_schema(SDL)
    result, flat = both(schema, "{ rows { id n on } }", [{"id": 7, "n": 4.0, "on": 1}])
    assert flat and result.data == {"rows": [{"id": "7", "n": 4, "on": True}]}


def test_objects_typename_and_fields_with_resolvers_go_the_standard_way():
    schema = build_schema(SDL)
    _, flat = both(schema, "{ rows { id __typename } }", ROWS)
    assert not flat

    class Row:
        id = "9"

    _, flat = both(schema, "{ rows { id } }", [Row()])
    assert not flat

    resolved = GraphQLObjectType(
        "Resolved",
        {"id": GraphQLField(GraphQLString, resolve=lambda row, _info: row["id"].upper())},
    )
    query_type = GraphQLObjectType(
        "Query", {"rows": GraphQLField(GraphQLNonNull(GraphQLList(resolved)))}
    )
    result, flat = both(GraphQLSchema(query_type), "{ rows { id } }", [{"id": "x"}])
    assert not flat and result.data == {"rows": [{"id": "X"}]}


async def test_the_executors_awaitable_test_agrees_with_graphql_cores():
    import asyncio

    from graphql.pyutils import is_awaitable as graphql_core_is_awaitable

    from backend.api.leaf_lists import is_awaitable

    class AwaitableDict(dict):
        def __await__(self):
            yield from asyncio.sleep(0).__await__()

    async def coroutine():
        return 1

    running = coroutine()
    values = [{}, [], "", 0, 1.5, True, None, AwaitableDict(), running, asyncio.Future()]
    assert [is_awaitable(v) for v in values] == [graphql_core_is_awaitable(v) for v in values]
    assert [is_awaitable(v) for v in values[-3:]] == [True, True, True]
    await running


GOALS_SDL = """
enum Color { RED GREEN }
type Goal { id: ID!, title: String, color: Color, n: Int, score: Int!, label: String }
type Query { goals: [Goal!]!, version: String }
"""


def _get(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def goals_schema() -> GraphQLSchema:
    """Goals with a computed ``score`` beside their leaves: never a flat list."""
    schema = build_schema(GOALS_SDL)
    goal = schema.type_map["Goal"]
    assert isinstance(goal, GraphQLObjectType)
    goal.fields["score"].resolve = lambda item, _info: len(_get(item, "id")) * 10
    return schema


def run_goals(query: str, goals: Any) -> tuple[ExecutionResult, int]:
    """The standard result, after checking the fast executor's equals it; and how many
    fields the fast executor copied."""
    schema = goals_schema()
    root = {"goals": goals, "version": "v1"}
    before = CountingExecutor.copied
    fast = execute(schema, parse(query), root_value=root, executor_class=CountingExecutor)
    copied = CountingExecutor.copied - before
    standard = execute(schema, parse(query), root_value=root)
    assert isinstance(fast, ExecutionResult) and isinstance(standard, ExecutionResult)
    assert fast.data == standard.data
    assert [(e.message, e.path) for e in fast.errors or []] == [
        (e.message, e.path) for e in standard.errors or []
    ]
    return standard, copied


GOALS = [
    {"id": "1", "title": "Read", "color": "RED", "n": 3},
    {"id": "22", "title": "Run", "color": "GREEN", "n": None},
]


def test_leaves_beside_computed_fields_are_copied_and_the_computed_ones_resolved():
    result, copied = run_goals("{ version goals { id again: id title color n score } }", GOALS)
    assert result.data == {
        "version": "v1",
        "goals": [
            {"id": "1", "again": "1", "title": "Read", "color": "RED", "n": 3, "score": 10},
            {"id": "22", "again": "22", "title": "Run", "color": "GREEN", "n": None, "score": 20},
        ],
    }
    # version; then id, again, title, color, n of the first goal and all but the null n of
    # the second (a null takes the standard path, which knows whether it is allowed).
    assert copied == 1 + 5 + 4


@pytest.mark.parametrize(
    ("bad", "error_path"),
    [
        ({"id": None}, ["goals", 2, "id"]),  # null in a non-null field
        ({"id": "3", "n": 2**40}, ["goals", 2, "n"]),  # beyond GraphQL's Int
        ({"id": "3", "color": "BLUE"}, ["goals", 2, "color"]),  # not a value of the enum
        ({"id": "3", "label": lambda _info: "called"}, None),  # the default resolver calls it
        ({"id": "3", "label": 12}, None),  # coerced to "12" by String, not refused
    ],
)
def test_unusual_leaves_take_the_standard_way_with_its_errors_and_paths(bad, error_path):
    result, _ = run_goals("{ goals { id n color label score } }", [*GOALS, bad])
    if error_path is None:
        assert not result.errors
        assert result.data is not None and result.data["goals"][2]["label"] in {"called", "12"}
    else:
        assert result.errors and [e.path for e in result.errors] == [error_path]


def test_an_object_that_is_not_a_dict_is_read_the_standard_way():
    class Goal:
        id = "9"
        title = "Swim"

    result, copied = run_goals("{ goals { id title score } }", [Goal()])
    assert result.data == {"goals": [{"id": "9", "title": "Swim", "score": 10}]}
    assert copied == 0
