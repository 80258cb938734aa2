"""Limits that keep one request from stalling the server: introspection has a budget too."""

from graphql import get_introspection_query

from backend.api.limits import MAX_INTROSPECTION_FIELDS

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
