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
