"""Query depth and size limits, so one request cannot ask the server for unbounded work.

Lists are already capped by the server (``limit`` at most 500), so bounding the depth and the
number of selected fields bounds the work of any request. Neither rule looks at variables,
which lets a validated document be remembered and reused (``documents.py``).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.language import DocumentNode

MAX_DEPTH = 10
MAX_FIELDS = 400


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    """(depth, number of fields) of a selection set, following fragments once per path."""
    if selection_set is None:
        return 0, 0
    deepest, count = 0, 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue  # introspection is bounded by the schema itself
            depth, fields = _walk(selection.selection_set, fragments, seen)
            deepest, count = max(deepest, 1 + depth), count + 1 + fields
        elif isinstance(selection, InlineFragmentNode):
            depth, fields = _walk(selection.selection_set, fragments, seen)
            deepest, count = max(deepest, depth), count + fields
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                depth, fields = _walk(fragments[name].selection_set, fragments, seen | {name})
                deepest, count = max(deepest, depth), count + fields
    return deepest, count


class SizeLimit(ASTValidationRule):
    """Refuse operations nested deeper than ``MAX_DEPTH`` or selecting over ``MAX_FIELDS``."""

    def enter_document(self, node: DocumentNode, *_: Any) -> None:
        fragments = {
            d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in node.definitions:
            if isinstance(definition, OperationDefinitionNode):
                depth, fields = _walk(definition.selection_set, fragments)
                if fields > MAX_FIELDS:
                    self.report_error(
                        GraphQLError(
                            f"the query selects {fields} fields; the limit is {MAX_FIELDS}",
                            definition,
                            extensions={"code": "QUERY_TOO_COMPLEX"},
                        )
                    )
                if depth > MAX_DEPTH:
                    self.report_error(
                        GraphQLError(
                            f"the query is {depth} levels deep; the limit is {MAX_DEPTH}",
                            definition,
                            extensions={"code": "QUERY_TOO_COMPLEX"},
                        )
                    )


VALIDATION_RULES: list[type[ASTValidationRule]] = [SizeLimit]


__all__ = ["MAX_DEPTH", "MAX_FIELDS", "VALIDATION_RULES", "SizeLimit"]
