"""Query depth and size limits, so one request cannot ask the server for unbounded work.

Lists are already capped by the server (``limit`` at most 500), so bounding the depth and the
number of selected fields bounds the work of any request. Introspection (``__schema``,
``__type``) is counted too, in a budget of its own: the standard introspection query that
GraphiQL and schemathesis send fits, while many aliases of it do not (one anonymous request
of 600 aliases once ran 17 s and answered 35 MB). Neither rule looks at variables, which lets
a validated document be remembered and reused (``documents.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.language import DocumentNode

from protocol.errors import ErrorCode

MAX_DEPTH = 10
MAX_FIELDS = 400
# The standard introspection query (with descriptions, deprecations, repeatable directives)
# selects about 200 fields once its fragments are expanded; twice that leaves room for
# richer variants and refuses a second copy under an alias.
MAX_INTROSPECTION_FIELDS = 400
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Cost:
    """What an operation asks for: its depth, ordinary fields and introspection fields."""

    depth: int = 0
    fields: int = 0
    introspection: int = 0

    def beside(self, other: Cost) -> Cost:
        return Cost(
            max(self.depth, other.depth),
            self.fields + other.fields,
            self.introspection + other.introspection,
        )


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
    inside_introspection: bool = False,
) -> Cost:
    """The cost of a selection set, following fragments once per path. Fields under
    ``__schema``/``__type`` count toward the introspection budget and not the depth (the
    schema's own type references nest deeper than any ordinary query may)."""
    if selection_set is None:
        return Cost()
    total = Cost()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            introspecting = inside_introspection or name in INTROSPECTION_FIELDS
            inner = _walk(selection.selection_set, fragments, seen, introspecting)
            if introspecting:
                own = Cost(0, inner.fields, 1 + inner.introspection)
            else:
                own = Cost(1 + inner.depth, 1 + inner.fields, inner.introspection)
            total = total.beside(own)
        elif isinstance(selection, InlineFragmentNode):
            total = total.beside(
                _walk(selection.selection_set, fragments, seen, inside_introspection)
            )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                total = total.beside(
                    _walk(
                        fragments[name].selection_set,
                        fragments,
                        seen | {name},
                        inside_introspection,
                    )
                )
    return total


def operation_cost(document: DocumentNode, operation: OperationDefinitionNode) -> Cost:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _walk(operation.selection_set, fragments)


class SizeLimit(ASTValidationRule):
    """Refuse operations nested deeper than ``MAX_DEPTH``, selecting over ``MAX_FIELDS``, or
    introspecting over ``MAX_INTROSPECTION_FIELDS``."""

    def enter_document(self, node: DocumentNode, *_: Any) -> None:
        for definition in node.definitions:
            if isinstance(definition, OperationDefinitionNode):
                cost = operation_cost(node, definition)
                if cost.fields > MAX_FIELDS:
                    self._refuse(
                        definition,
                        f"the query selects {cost.fields} fields; the limit is {MAX_FIELDS}",
                    )
                if cost.introspection > MAX_INTROSPECTION_FIELDS:
                    self._refuse(
                        definition,
                        f"the query introspects {cost.introspection} fields; "
                        f"the limit is {MAX_INTROSPECTION_FIELDS}",
                    )
                if cost.depth > MAX_DEPTH:
                    self._refuse(
                        definition,
                        f"the query is {cost.depth} levels deep; the limit is {MAX_DEPTH}",
                    )

    def _refuse(self, node: OperationDefinitionNode, message: str) -> None:
        self.report_error(
            GraphQLError(message, node, extensions={"code": ErrorCode.QUERY_TOO_COMPLEX})
        )


VALIDATION_RULES: list[type[ASTValidationRule]] = [SizeLimit]
PRODUCTION_ANONYMOUS_RULES: list[type[ASTValidationRule]] = [
    SizeLimit,
    NoSchemaIntrospectionCustomRule,
]


def rules_for(
    production: bool,
) -> Callable[[Any, DocumentNode, Any], list[type[ASTValidationRule]]]:
    """The validation rules per request: in production, signed-out callers may not introspect
    (the schema is public in the repository, but a stranger's map of it is not needed)."""

    def rules(context: Any, _document: DocumentNode, _data: Any) -> list[type[ASTValidationRule]]:
        if production and getattr(context, "viewer", None) is None:
            return PRODUCTION_ANONYMOUS_RULES
        return VALIDATION_RULES

    return rules


__all__ = [
    "MAX_DEPTH",
    "MAX_FIELDS",
    "MAX_INTROSPECTION_FIELDS",
    "VALIDATION_RULES",
    "Cost",
    "SizeLimit",
    "operation_cost",
    "rules_for",
]
