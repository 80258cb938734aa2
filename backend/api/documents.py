"""Parsed and validated documents, remembered by query text.

Parsing and validating an operation costs more than executing a typical one (about 1 ms
of validation per request, measured in bench/api.py). Clients send the same few operations
over and over, so each distinct query text is parsed once and validated once per process.
Validation here does not depend on variables (the cost limit uses fixed field costs).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.validation import ASTValidationRule

MAX_REMEMBERED = 512

_parsed: OrderedDict[str, DocumentNode] = OrderedDict()
_validated: dict[int, tuple[DocumentNode, list[GraphQLError]]] = {}


def parse_remembered(_context: Any, data: dict[str, Any]) -> DocumentNode:
    query = data["query"]
    document = _parsed.get(query)
    if document is not None:
        _parsed.move_to_end(query)
        return document
    document = parse(query)
    _parsed[query] = document
    if len(_parsed) > MAX_REMEMBERED:
        _, dropped = _parsed.popitem(last=False)
        _validated.pop(id(dropped), None)
    return document


def validate_remembered(
    schema: GraphQLSchema,
    document_ast: DocumentNode,
    rules: Collection[type[ASTValidationRule]] | None = None,
    max_errors: int | None = None,
    type_info: Any = None,
) -> list[GraphQLError]:
    remembered = _validated.get(id(document_ast))
    if remembered is not None and remembered[0] is document_ast:
        return remembered[1]
    errors = validate(schema, document_ast, rules, max_errors)
    if any(doc is document_ast for doc in _parsed.values()):
        _validated[id(document_ast)] = (document_ast, errors)
    return errors
