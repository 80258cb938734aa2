"""Limits that keep one request from stalling the server: introspection has a budget too."""

import pytest
from graphql import get_introspection_query

from backend.api.documents import (
    MAX_REMEMBERED_CHARS,
    MAX_REMEMBERED_QUERY_CHARS,
    remembered_chars,
)
from backend.api.limits import MAX_INTROSPECTION_FIELDS
from backend.api.request_body import (
    JSON_STRING,
    MAX_BODY_BYTES,
    json_depth,
    nests_deeper_than,
)

DEEP_SCHEMA = "__schema { types { fields { args { type { name kind ofType { name } } } } } }"


async def test_the_standard_introspection_query_still_works(api):
    full = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    body = await api.call(full)
    assert "errors" not in body
    assert body["data"]["__schema"]["types"]


async def test_aliases_of_introspection_are_refused_without_running(api):
    aliases = " ".join(f"a{n}: {DEEP_SCHEMA}" for n in range(400))
    body = await api.call(f"{{ {aliases} }}")
    assert body.get("data") is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert f"the limit is {MAX_INTROSPECTION_FIELDS}" in error["message"]


async def test_introspection_through_type_counts_as_well(api):
    aliases = " ".join(f't{n}: __type(name: "Query") {{ fields {{ name }} }}' for n in range(201))
    body = await api.call(f"{{ {aliases} }}")
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def refusal_of(api, json_text: str) -> tuple[int, str]:
    """(HTTP status, extensions.code) of the answer to a raw JSON body."""
    response = await api.client.post(
        "/graphql", content=json_text, headers={"content-type": "application/json"}
    )
    return response.status_code, response.json()["errors"][0]["extensions"]["code"]


async def test_a_body_over_the_limit_gets_413_with_a_graphql_error(api):
    padding = " " * (MAX_BODY_BYTES + 1)
    refusal = await refusal_of(api, f'{{"query": "{{ __typename }}{padding}"}}')
    assert refusal == (413, "PAYLOAD_TOO_LARGE")


async def test_the_413_says_the_limit_so_a_device_can_size_its_batch(api):
    response = await api.client.post(
        "/graphql",
        content=b'{"query": "{ __typename }"}' + b" " * MAX_BODY_BYTES,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["maxBytes"] == MAX_BODY_BYTES


async def test_a_body_under_the_limit_still_runs(api):
    body = await api.call("{ __typename }" + " " * (MAX_BODY_BYTES // 2))
    assert body == {"data": {"__typename": "Query"}}


async def test_json_nested_deeply_is_a_clear_400(api):
    nested = "[" * 1000 + "]" * 1000
    refusal = await refusal_of(
        api, f'{{"query": "{{ __typename }}", "variables": {{"x": {nested}}}}}'
    )
    assert refusal == (400, "BAD_REQUEST")


def test_json_depth_skips_brackets_inside_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[\\"["}]}') == 3
    assert json_depth(b"[]") == 1
    assert json_depth(b'"just text"') == 0


UNTERMINATED = [
    b"[" * 65 + b'"' + b'\\"' * 1000,  # one string of escaped quotes, never closed
    b'{"a": "b", "c": "' + b"[" * 70,
    b'{"a": "x\\',  # a lone backslash at the end
    b'{"a": "x\\\n' + b'"' * 50,  # a backslash before a raw newline
    b'"' * 101,
]


@pytest.mark.parametrize("body", UNTERMINATED)
def test_the_string_pattern_matches_at_every_quote(body):
    """So a search never fails at one quote and starts again at the next: with a pattern
    that could, one unterminated string full of escaped quotes cost quadratic time (a
    160 KB body held the server's only thread for 134 s)."""
    quotes = [i for i, byte in enumerate(body) if byte == ord('"')]
    assert quotes and all(JSON_STRING.match(body, i) for i in quotes)


def test_an_unterminated_string_hides_the_brackets_after_it():
    assert json_depth(b'[[{"a": "[[[[') == 3
    assert json_depth(b'[[{"a": "x\\') == 3


async def test_a_long_unterminated_string_of_escaped_quotes_is_refused_at_once(api):
    """200 KB that took minutes to check (before the pattern above): refused for its depth."""
    body = "[" * 65 + '"' + '\\"' * 100_000
    assert await refusal_of(api, body) == (400, "BAD_REQUEST")


def test_brackets_inside_strings_do_not_make_a_body_too_deep():
    """Many brackets, few of them nesting: counted as nesting only where they nest."""
    inside_strings = b'{"a": "' + b"[" * 100 + b'"}'
    assert not nests_deeper_than(inside_strings, 64)
    assert nests_deeper_than(b"[" * 65 + b"]" * 65, 64)
    assert not nests_deeper_than(b"[" * 64 + b"]" * 64, 64)


async def test_the_parse_cache_is_bounded_by_the_text_it_holds(api):
    for n in range(2 * MAX_REMEMBERED_CHARS // MAX_REMEMBERED_QUERY_CHARS):
        query = f"query Q{n} {{ __typename }}" + " " * (MAX_REMEMBERED_QUERY_CHARS - 100)
        assert (await api.call(query))["data"] == {"__typename": "Query"}
    assert remembered_chars() <= MAX_REMEMBERED_CHARS
    huge = "{ __typename }" + " " * (MAX_REMEMBERED_QUERY_CHARS + 1)
    before = remembered_chars()
    assert (await api.call(huge))["data"] == {"__typename": "Query"}
    assert remembered_chars() == before
