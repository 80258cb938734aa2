"""Parsed and validated documents, remembered by query text.

Parsing and validating an operation costs more than executing a typical one (about 1 ms
of validation per request, measured in bench/api.py). Clients send the same few operations
over and over, so each distinct query text is parsed once and validated once per process.
Validation here does not depend on variables (the cost limit uses fixed field costs).
The memory is bounded by the query text it holds, not by count: 30 distinct 5 MB queries once
grew the server by 290 MB. Texts over ``MAX_REMEMBERED_QUERY_CHARS`` are parsed every time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.validation import ASTValidationRule

MAX_REMEMBERED = 512
MAX_REMEMBERED_QUERY_CHARS = 16 * 1024
MAX_REMEMBERED_CHARS = 2 * 1024 * 1024

_parsed: OrderedDict[str, DocumentNode] = OrderedDict()
_validated: dict[
    tuple[int, tuple[type[ASTValidationRule], ...]], tuple[DocumentNode, list[GraphQLError]]
] = {}
_remembered_chars = 0


def remembered_chars() -> int:
    """The total length of the query texts remembered now."""
    return _remembered_chars


def parse_remembered(_context: Any, data: dict[str, Any]) -> DocumentNode:
    query = data["query"]
    document = _parsed.get(query)
    if document is not None:
        _parsed.move_to_end(query)
        return document
    global _remembered_chars
    document = parse(query)
    if len(query) > MAX_REMEMBERED_QUERY_CHARS:
        return document
    _parsed[query] = document
    _remembered_chars += len(query)
    while len(_parsed) > MAX_REMEMBERED or _remembered_chars > MAX_REMEMBERED_CHARS:
        text, dropped = _parsed.popitem(last=False)
        _remembered_chars -= len(text)
        for key in [key for key in _validated if key[0] == id(dropped)]:
            del _validated[key]
    return document


def validate_remembered(
    schema: GraphQLSchema,
    document_ast: DocumentNode,
    rules: Collection[type[ASTValidationRule]] | None = None,
    max_errors: int | None = None,
    type_info: Any = None,
) -> list[GraphQLError]:
    key = (id(document_ast), tuple(rules or ()))
    remembered = _validated.get(key)
    if remembered is not None and remembered[0] is document_ast:
        return remembered[1]
    errors = validate(schema, document_ast, rules, max_errors)
    if any(doc is document_ast for doc in _parsed.values()):
        _validated[key] = (document_ast, errors)
    return errors
