"""The served schema is exactly the committed SDL: no drift in either direction."""

import subprocess
import sys

from graphql import (
    build_client_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

from backend.api.schema import build_schema
from backend.api.sdl import build_sdl_schema, load_type_defs


async def test_introspected_schema_matches_the_committed_sdl(api):
    body = await api.data(get_introspection_query())
    served = build_client_schema(body)
    committed = build_sdl_schema()
    for old, new in ((committed, served), (served, committed)):
        assert find_breaking_changes(old, new) == []
        assert find_dangerous_changes(old, new) == []
    # Descriptions, defaults and deprecations too, which the change finders ignore.
    assert print_schema(lexicographic_sort_schema(served)) == print_schema(
        lexicographic_sort_schema(committed)
    )


def test_every_root_operation_of_the_sdl_has_a_resolver():
    schema = build_schema()
    missing = [
        f"{root.name}.{name}"
        for root in (schema.query_type, schema.mutation_type)
        if root is not None
        for name, field in root.fields.items()
        if field.resolve is None
    ]
    assert missing == []


def test_the_schema_command_prints_the_committed_sdl():
    out = subprocess.run(
        [sys.executable, "-m", "backend.cli", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert out == load_type_defs()
