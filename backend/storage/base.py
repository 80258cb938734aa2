"""The storage interface that both engines implement.

It is DynamoDB-shaped on purpose: single-item reads and conditional writes, queries on a
table or index by partition key with a sort-key condition, and small all-or-nothing
transactions. Anything the backend needs beyond this is built on top, never inside an engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .conditions import Condition, SortKeyCondition
from .items import Item, Key
from .tables import TableRegistry

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page:
    """One page of a query or scan; ``cursor`` is ``None`` when there is nothing more.

    A non-``None`` cursor may lead to an empty last page (DynamoDB does this).
    """

    items: list[Item]
    cursor: str | None = None


@dataclass(frozen=True)
class Put:
    table: str
    item: Mapping[str, Any]
    condition: Condition | None = None


@dataclass(frozen=True)
class Update:
    table: str
    key: Mapping[str, Any]
    set: Mapping[str, Any] = field(default_factory=dict)
    remove: Sequence[str] = ()
    add: Mapping[str, int | float] = field(default_factory=dict)
    condition: Condition | None = None


@dataclass(frozen=True)
class Delete:
    table: str
    key: Mapping[str, Any]
    condition: Condition | None = None


@dataclass(frozen=True)
class ConditionCheck:
    table: str
    key: Mapping[str, Any]
    condition: Condition


TransactAction = Put | Update | Delete | ConditionCheck


class Store(Protocol):
    """What the backend may ask of storage. Both engines pass one conformance suite."""

    tables: TableRegistry
    overlapping_reads: bool
    """Whether reads started together overlap in time (network round trips: DynamoDB);
    False where each runs to its end when called (SQLite), so gathering several reads into
    concurrent tasks would only add the tasks' cost."""

    async def get(self, table: str, key: Mapping[str, Any]) -> Item | None:
        """The item with this primary key (strongly consistent), or ``None``."""
        ...

    async def batch_get(self, table: str, keys: Sequence[Mapping[str, Any]]) -> list[Item | None]:
        """Items for many keys, in the order of ``keys`` (``None`` for a missing one)."""
        ...

    async def put(
        self, table: str, item: Mapping[str, Any], *, condition: Condition | None = None
    ) -> None:
        """Create or replace an item, if ``condition`` holds (else ``ConditionFailed``)."""
        ...

    async def put_many(self, table: str, items: Sequence[Mapping[str, Any]]) -> None:
        """Bulk load without conditions; not atomic on DynamoDB (batches of 25)."""
        ...

    async def update(
        self,
        table: str,
        key: Mapping[str, Any],
        *,
        set: Mapping[str, Any] | None = None,
        remove: Sequence[str] = (),
        add: Mapping[str, int | float] | None = None,
        condition: Condition | None = None,
    ) -> Item:
        """Change some attributes (creating the item if absent) and return the new item."""
        ...

    async def delete(
        self, table: str, key: Mapping[str, Any], *, condition: Condition | None = None
    ) -> Item | None:
        """Delete an item and return what was there."""
        ...

    async def query(
        self,
        table: str,
        pk: Any,
        *,
        index: str | None = None,
        sk: SortKeyCondition | None = None,
        ascending: bool = True,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page:
        """Items whose partition key equals ``pk`` on the table or one of its indexes."""
        ...

    async def count(self, table: str, pk: Any, *, not_true: Sequence[str] = ()) -> int:
        """How many items of the table's partition ``pk`` have none of the attributes
        ``not_true`` set to true (absent or false), counted by the storage itself: nothing
        is read into memory (DynamoDB: a Query with a filter that selects COUNT)."""
        ...

    async def scan(
        self, table: str, *, limit: int | None = None, cursor: str | None = None
    ) -> Page:
        """Every item of a (small) table, a page at a time."""
        ...

    async def transact(self, actions: Sequence[TransactAction]) -> None:
        """Apply up to 100 actions all together or not at all (``TransactionCancelled``)."""
        ...

    async def close(self) -> None: ...


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "ConditionCheck",
    "Delete",
    "Item",
    "Key",
    "Page",
    "Put",
    "Store",
    "TransactAction",
    "Update",
]
