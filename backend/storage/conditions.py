"""Write conditions and sort-key conditions, described once and evaluated by each engine.

The SQLite engine evaluates them in Python against the stored item; the DynamoDB engine turns
them into ``ConditionExpression`` / ``KeyConditionExpression`` strings. Both are tested by one
conformance suite, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .errors import ValidationError


@dataclass(frozen=True)
class ItemExists:
    """The item must already exist."""


@dataclass(frozen=True)
class ItemNotExists:
    """The item must not exist yet (create-only)."""


@dataclass(frozen=True)
class AttrEquals:
    """Attribute ``name`` must exist and equal ``value``."""

    name: str
    value: Any


@dataclass(frozen=True)
class AttrNotExists:
    """Attribute ``name`` must be absent (an absent item satisfies this too)."""

    name: str


@dataclass(frozen=True)
class AllOf:
    """Every condition must hold."""

    conditions: tuple[Condition, ...]


Condition = ItemExists | ItemNotExists | AttrEquals | AttrNotExists | AllOf

VERSION_ATTR = "_version"


def version_is(version: int) -> Condition:
    """The stored ``_version`` must equal ``version`` (optimistic concurrency)."""
    return AttrEquals(VERSION_ATTR, version)


def holds(condition: Condition | None, item: dict[str, Any] | None) -> bool:
    """Whether ``condition`` holds for ``item`` (``None`` when there is no item)."""
    if condition is None:
        return True
    if isinstance(condition, ItemExists):
        return item is not None
    if isinstance(condition, ItemNotExists):
        return item is None
    if isinstance(condition, AttrEquals):
        return (
            item is not None and condition.name in item and item[condition.name] == condition.value
        )
    if isinstance(condition, AttrNotExists):
        return item is None or condition.name not in item
    return all(holds(c, item) for c in condition.conditions)


SortOp = Literal["=", "<", "<=", ">", ">=", "between", "begins_with"]


@dataclass(frozen=True)
class SortKeyCondition:
    """A condition on the sort key of a query: use the class methods to build one."""

    op: SortOp
    value: Any
    upper: Any = None

    @classmethod
    def eq(cls, value: Any) -> SortKeyCondition:
        return cls("=", value)

    @classmethod
    def lt(cls, value: Any) -> SortKeyCondition:
        return cls("<", value)

    @classmethod
    def le(cls, value: Any) -> SortKeyCondition:
        return cls("<=", value)

    @classmethod
    def gt(cls, value: Any) -> SortKeyCondition:
        return cls(">", value)

    @classmethod
    def ge(cls, value: Any) -> SortKeyCondition:
        return cls(">=", value)

    @classmethod
    def between(cls, low: Any, high: Any) -> SortKeyCondition:
        """Inclusive on both ends, as in DynamoDB."""
        return cls("between", low, high)

    @classmethod
    def begins_with(cls, prefix: str) -> SortKeyCondition:
        return cls("begins_with", prefix)

    def check(self, key_type: str) -> None:
        """Refuse what DynamoDB refuses: wrong types, begins_with on numbers, low > high."""
        values = [self.value] if self.op != "between" else [self.value, self.upper]
        for v in values:
            if key_type == "S" and not isinstance(v, str):
                raise ValidationError(f"sort key condition needs a string, got {v!r}")
            if key_type == "N" and (isinstance(v, bool) or not isinstance(v, int | float)):
                raise ValidationError(f"sort key condition needs a number, got {v!r}")
        if self.op == "begins_with" and key_type != "S":
            raise ValidationError("begins_with works on string sort keys only")
        if self.op == "between" and self.value > self.upper:
            raise ValidationError("between: the lower bound is greater than the upper bound")

    def matches(self, value: Any) -> bool:
        if self.op == "=":
            return bool(value == self.value)
        if self.op == "<":
            return bool(value < self.value)
        if self.op == "<=":
            return bool(value <= self.value)
        if self.op == ">":
            return bool(value > self.value)
        if self.op == ">=":
            return bool(value >= self.value)
        if self.op == "between":
            return bool(self.value <= value <= self.upper)
        return isinstance(value, str) and value.startswith(self.value)
