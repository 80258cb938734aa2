"""Every argument of every root field is clean text before a resolver sees it.

``clean_value`` (domain/text.py) NFC-normalizes texts and refuses lone surrogates, NUL,
control characters and non-finite numbers with BAD_USER_INPUT, so such input never reaches
storage (where it failed as INTERNAL_SERVER_ERROR). ``pushChanges`` is left out: it checks each
change on its own, so one bad change is REJECTED and the rest apply.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema

from domain.text import clean_value

CHECKED_PER_CHANGE = frozenset({"pushChanges"})


def clean_root_arguments(schema: GraphQLSchema) -> None:
    """Wrap the resolvers of the Query and Mutation fields (in place)."""
    for root in (schema.query_type, schema.mutation_type):
        if root is not None:
            _wrap_fields(root)


def _wrap_fields(root: GraphQLObjectType) -> None:
    for name, field in root.fields.items():
        if name in CHECKED_PER_CHANGE or name.startswith("__") or field.resolve is None:
            continue
        field.resolve = _cleaning(field.resolve)


def _cleaning(resolve: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(resolve):

        @functools.wraps(resolve)
        async def clean_then_await(obj: Any, info: Any, **kwargs: Any) -> Any:
            return await resolve(obj, info, **_cleaned(kwargs))

        return clean_then_await

    @functools.wraps(resolve)
    def clean_then_call(obj: Any, info: Any, **kwargs: Any) -> Any:
        return resolve(obj, info, **_cleaned(kwargs))

    return clean_then_call


def _cleaned(kwargs: dict[str, Any]) -> dict[str, Any]:
    """An ``input`` object's errors name its fields (``title``), as the services' do."""
    return {
        name: clean_value(value, field="" if name == "input" else name)
        for name, value in kwargs.items()
    }
