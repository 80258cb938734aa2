"""Which fields a query selects below the field being resolved, read before resolving them.

A list resolver that knows its items' fields will need the same kind of data for every item
(a goal list asking for each goal's habits and progress) reads it for all items in one
batch up front; the item fields then answer from the request's loaders without a wait each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
)


def selected(info: GraphQLResolveInfo[Any], *path: str) -> frozenset[str]:
    """The names of the fields selected under the current field, or under the field reached
    by ``path`` (field names, one per level), through fragments."""
    nodes: list[FieldNode] = list(info.field_nodes)
    for name in path:
        nodes = [
            node
            for node in _fields(_selection_sets(nodes), info.fragments)
            if node.name.value == name
        ]
    return frozenset(node.name.value for node in _fields(_selection_sets(nodes), info.fragments))


def _selection_sets(nodes: Iterable[FieldNode]) -> list[SelectionSetNode]:
    return [node.selection_set for node in nodes if node.selection_set is not None]


def _fields(
    selection_sets: Iterable[SelectionSetNode], fragments: dict[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    found: list[FieldNode] = []
    for selection_set in selection_sets:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                found += _fields([selection.selection_set], fragments)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    found += _fields([fragment.selection_set], fragments)
    return found
