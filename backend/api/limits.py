"""Query depth and cost limits, so one request cannot ask the server for unbounded work."""

from __future__ import annotations

from typing import Any

from ariadne.validation import cost_validator
from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)
from graphql.language import DocumentNode

MAX_DEPTH = 10
MAX_COST = 20_000


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                deepest = max(
                    deepest, _depth(fragments[name].selection_set, fragments, seen | {name})
                )
    return deepest


class DepthLimit(ASTValidationRule):
    """Refuse operations nested deeper than ``MAX_DEPTH`` fields."""

    def enter_document(self, node: DocumentNode, *_: Any) -> None:
        fragments = {
            d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in node.definitions:
            if isinstance(definition, OperationDefinitionNode):
                depth = _depth(definition.selection_set, fragments)
                if depth > MAX_DEPTH:
                    self.report_error(
                        GraphQLError(
                            f"the query is {depth} levels deep; the limit is {MAX_DEPTH}",
                            definition,
                            extensions={"code": "QUERY_TOO_COMPLEX"},
                        )
                    )


def validation_rules(
    context: Any, document: DocumentNode, data: dict[str, Any]
) -> list[type[ASTValidationRule]]:
    """Per request, because the cost of a list depends on its ``limit`` variable."""
    cost = cost_validator(
        maximum_cost=MAX_COST,
        default_cost=1,
        default_complexity=1,
        variables=data.get("variables") or {},
    )
    return [DepthLimit, cost]


__all__ = ["MAX_COST", "MAX_DEPTH", "DepthLimit", "ValidationContext", "validation_rules"]
