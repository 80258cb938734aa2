"""graphql-core's executor, completing lists of flat objects in one loop.

A pull page is a list of up to 5,000 ``SyncChange`` objects of six leaf fields each; the
standard executor builds a resolve info, a path and a completion for each of those 30,000
fields, which cost as much as reading the page from storage (bench/sync.py, S2). When every
selected field of a list's object type is a leaf read by the default resolver from a dict
(no arguments, no resolver of its own, no ``@defer``/``@stream``), the list is completed
here with the same coercions in one tight loop. Anything unusual (a non-dict item, a callable
value, a null in a non-null field, a value its type refuses) falls back to the standard path
for the whole list, so errors and their paths are exactly graphql-core's.

The same holds field by field for objects that are not flat: a goal's ``goalId`` and
``title`` beside its computed ``progress`` are copied from the item (``copy_leaf``), and only
the computed fields take the standard path (a dashboard's 16 leaves of goals and habits were
a twentieth of its execution, bench/api.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    default_field_resolver,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.incremental import IncrementalExecutor
from graphql.pyutils import AwaitableOrValue, Path
from graphql.pyutils import is_awaitable as default_is_awaitable

MIN_INT, MAX_INT = -(2**31), 2**31 - 1


_NEVER_AWAITABLE = frozenset({dict, list, str, int, float, bool, type(None)})


def is_awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """graphql-core's test, answered first by exact type for the values most fields return
    (it asks once per field and list item; a failed ``hasattr`` is the slow part)."""
    return type(value) not in _NEVER_AWAITABLE and default_is_awaitable(value)


class _Refused(Exception):
    """A value the fast loop does not complete: the standard path takes the whole list."""


def _is_int32(value: Any) -> bool:
    return type(value) is int and MIN_INT <= value <= MAX_INT


_UNCHANGED: dict[GraphQLLeafType, Callable[[Any], bool]] = {
    GraphQLInt: _is_int32,
    GraphQLString: lambda value: type(value) is str,
    GraphQLID: lambda value: type(value) is str,
    GraphQLBoolean: lambda value: type(value) is bool,
}
"""Built-in scalars and the values their coercion returns unchanged (checked first, as
calling the coercion for each of 30,000 values is what this module saves)."""


def _coercer(leaf: GraphQLLeafType) -> Callable[[Any], Any]:
    """``leaf``'s output coercion, raising ``_Refused`` where graphql-core would raise or
    refuse (the standard path then reports it)."""
    unchanged = _UNCHANGED.get(leaf, lambda _value: False)
    coerce = leaf.coerce_output_value

    def coerced(value: Any) -> Any:
        if unchanged(value):
            return value
        try:
            result = coerce(value)
        except Exception as exc:  # GraphQLError, TypeError, ...: reported by the standard path
            raise _Refused from exc
        if result is None or result is Undefined:
            raise _Refused
        return result

    return coerced


def _selects_a_resolved_field(
    item_type: GraphQLObjectType, field_details_list: FieldDetailsList
) -> bool:
    """Whether the selection names, directly, a field of ``item_type`` that has a resolver of
    its own: such a list takes the standard path, known before collecting its sub-fields
    (most lists of a dashboard are of objects with computed fields)."""
    for details in field_details_list:
        selection_set = details.node.selection_set
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                field_def = item_type.fields.get(selection.name.value)
                if field_def is not None and field_def.resolve is not None:
                    return True
    return False


@dataclass(frozen=True)
class LeafField:
    response_name: str
    field_name: str
    coerce: Callable[[Any], Any]
    non_null: bool


class _Helpers:
    """The executor's ``async_helpers`` through a weak reference.

    graphql-core's hold its bound methods, so every executor is in a reference cycle, and
    with it the request's context, loaders and items (about 150 objects a request): freed
    only by the cyclic collector, whose pauses of 10-40 ms under load were the dashboard's
    p95 (bench/api.py). Without the cycle, reference counting frees a request as it ends.
    A resolver only runs while its executor does, so the reference is alive when used.
    """

    def __init__(self, executor: IncrementalExecutor) -> None:
        self._executor = weakref.ref(executor)

    def _alive(self) -> IncrementalExecutor:
        executor = self._executor()
        assert executor is not None, "async helpers used after their execution"
        return executor

    def gather(self, values: Sequence[Any]) -> Any:
        return self._alive().gather_async_work(values)

    def track(self, values: Sequence[Any]) -> None:
        self._alive().track_async_work(values)


NOT_COPIED = object()
"""``copy_leaf``'s answer for a field it leaves to the standard path."""

_LEAVES: weakref.WeakKeyDictionary[
    GraphQLSchema, dict[tuple[GraphQLObjectType, str], LeafField | None]
] = weakref.WeakKeyDictionary()
"""Per schema, which fields ``execute_field`` copies (learnt once, as the schema is fixed)."""


def _helpers_of(executor: IncrementalExecutor) -> GraphQLResolveInfoHelpers:
    helpers = _Helpers(executor)
    return GraphQLResolveInfoHelpers(gather=helpers.gather, track=helpers.track)


class LeafListExecutor(IncrementalExecutor):
    """The executor ariadne runs every operation with (``GraphQL(execution_context_class=)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, list[LeafField] | None]] = {}
        self._leaves = _LEAVES.setdefault(self.schema, {})
        self._copies_leaves = (
            self.middleware_manager is None and self.field_resolver is default_field_resolver
        )
        if self.is_awaitable is default_is_awaitable:
            self.is_awaitable = is_awaitable
        self.async_helpers = _helpers_of(self)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        copied = self.copy_leaf(parent_type, source, field_details_list[0].node.name.value)
        if copied is not NOT_COPIED:
            return copied
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def copy_leaf(self, parent_type: GraphQLObjectType, source: Any, name: str) -> Any:
        """A leaf read from a dict by the default resolver, copied and coerced without the
        resolve info, resolver call and completion graphql-core makes for each field (most
        fields of a goal or a habit; the computed ones beside them take the standard path).
        ``NOT_COPIED`` for any other field, and for a null, a callable or a value its type
        refuses: the standard path then gives graphql-core's value, or error and path."""
        if type(source) is not dict or not self._copies_leaves:
            return NOT_COPIED
        leaf = self._leaf(parent_type, name)
        if leaf is None:
            return NOT_COPIED
        value = source.get(name)
        if value is None or callable(value):
            return NOT_COPIED
        try:
            return leaf.coerce(value)
        except _Refused:
            return NOT_COPIED

    def _leaf(self, parent_type: GraphQLObjectType, name: str) -> LeafField | None:
        """How to copy this field, or None when it takes the standard path (for one field,
        and for each field of a flat list). A validated document gives no arguments to a field
        that has none, so the field alone decides; learnt once per schema."""
        key = (parent_type, name)
        known = self._leaves.get(key, NOT_COPIED)
        if known is not NOT_COPIED:
            return known if isinstance(known, LeafField) else None
        field_def = parent_type.fields.get(name)
        leaf: LeafField | None = None
        if field_def is not None and field_def.resolve is None and not field_def.args:
            field_type = field_def.type
            non_null = isinstance(field_type, GraphQLNonNull)
            of_type = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
            if is_leaf_type(of_type):
                leaf = LeafField(name, name, _coercer(of_type), non_null)
        self._leaves[key] = leaf
        return leaf

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        if type(result) is list:
            if not result:  # nothing to complete either way
                return []
            item_type = return_type.of_type
            if isinstance(item_type, GraphQLNonNull):
                item_type = item_type.of_type
            if isinstance(item_type, GraphQLObjectType):
                plan = self._plan(item_type, field_details_list, path)
                if plan is not None:
                    try:
                        return self.complete_flat_list(result, plan)
                    except _Refused:
                        pass
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan(
        self, item_type: GraphQLObjectType, field_details_list: FieldDetailsList, path: Path
    ) -> list[LeafField] | None:
        """The fields to copy for each item, or None when this list needs the standard path
        (memoized per selection, as graphql-core memoizes ``collect_subfields``)."""
        key = (item_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        plan = self._build_plan(item_type, field_details_list, path)
        self._plans[key] = (field_details_list, plan)  # the list kept alive: its id stays
        return plan

    def _build_plan(
        self, item_type: GraphQLObjectType, field_details_list: FieldDetailsList, path: Path
    ) -> list[LeafField] | None:
        if (
            item_type.is_type_of is not None
            or not self._copies_leaves
            or _selects_a_resolved_field(item_type, field_details_list)
            or self.get_stream_usage(field_details_list, path) is not None
        ):
            return None
        grouped, new_defer_usages, forbidden = self.collect_subfields(item_type, field_details_list)
        if new_defer_usages or forbidden:
            return None
        plan: list[LeafField] = []
        for response_name, details in grouped.items():
            leaf = self._leaf(item_type, details[0].node.name.value)
            if leaf is None or any(d.defer_usage is not None for d in details):
                return None
            plan.append(LeafField(response_name, leaf.field_name, leaf.coerce, leaf.non_null))
        return plan

    @staticmethod
    def complete_flat_list(items: Iterable[Any], plan: list[LeafField]) -> list[dict[str, Any]]:
        """Each item as the standard path completes it, or ``_Refused``."""
        fields = [(f.response_name, f.field_name, f.coerce, f.non_null) for f in plan]
        completed: list[dict[str, Any]] = []
        append = completed.append
        for item in items:
            if type(item) is not dict:
                raise _Refused
            out: dict[str, Any] = {}
            for response_name, field_name, coerce, non_null in fields:
                value = item.get(field_name)
                if value is None:
                    if non_null:
                        raise _Refused
                    out[response_name] = None
                elif callable(value):  # the default resolver would call it
                    raise _Refused
                else:
                    out[response_name] = coerce(value)
            append(out)
        return completed
