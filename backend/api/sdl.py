"""The committed GraphQL contract: the SDL files in ``backend/api/schema/``, one per domain.

``common.graphql`` holds the shared scalar and the root types; every other file adds its
operations with ``extend type Query`` / ``extend type Mutation``.
"""

from __future__ import annotations

from pathlib import Path

import graphql
from ariadne import load_schema_from_path

SCHEMA_DIR: Path = Path(__file__).resolve().parent / "schema"


def load_type_defs() -> str:
    """Return the SDL of every ``.graphql`` file in ``SCHEMA_DIR``, syntax-checked, by file name."""
    return load_schema_from_path(SCHEMA_DIR)


def build_sdl_schema() -> graphql.GraphQLSchema:
    """Build the contract as a graphql-core schema without resolvers; raise if it is invalid."""
    return graphql.build_schema(load_type_defs())
