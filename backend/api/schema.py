"""The executable schema: the committed SDL plus every resolver module's bindables."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from typing import Any

from ariadne import make_executable_schema
from graphql import GraphQLSchema

from . import resolvers
from .input_text import clean_root_arguments
from .scalars import aws_json
from .sdl import load_type_defs


def resolver_bindables() -> list[Any]:
    """``bindables`` of every module in ``backend/api/resolvers/``, in module-name order."""
    found: list[Any] = []
    for module_info in sorted(pkgutil.iter_modules(resolvers.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{resolvers.__name__}.{module_info.name}")
        found += list(getattr(module, "bindables", []))
    return found


@functools.cache
def build_schema() -> GraphQLSchema:
    """Built once per process: the schema is immutable and binding it takes a while."""
    schema = make_executable_schema(load_type_defs(), aws_json, *resolver_bindables())
    clean_root_arguments(schema)
    return schema
