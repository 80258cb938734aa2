"""The shared front of both engines: validation here, storage primitives in the subclasses.

``Engine`` implements the public ``Store`` methods once. It checks every request against
DynamoDB's rules (``items.py``), resolves table and index names, encodes cursors, and then
calls the engine's underscore primitives with already-validated data.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .base import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    ConditionCheck,
    Delete,
    Page,
    Put,
    TransactAction,
    Update,
)
from .conditions import Condition, SortKeyCondition
from .cursor import decode_cursor, encode_cursor, query_fingerprint
from .errors import ValidationError
from .items import (
    MAX_TRANSACTION_ACTIONS,
    Item,
    Key,
    check_key,
    check_key_value,
    check_update,
    prepare_item,
)
from .tables import ALL_TABLES, IndexSpec, TableRegistry, TableSpec


@dataclass(frozen=True)
class PreparedPut:
    table: TableSpec
    item: Item
    condition: Condition | None


@dataclass(frozen=True)
class PreparedUpdate:
    table: TableSpec
    key: Key
    sets: Item
    removes: list[str]
    add: dict[str, int | float]
    condition: Condition | None


@dataclass(frozen=True)
class PreparedDelete:
    table: TableSpec
    key: Key
    condition: Condition | None


@dataclass(frozen=True)
class PreparedCheck:
    table: TableSpec
    key: Key
    condition: Condition


PreparedAction = PreparedPut | PreparedUpdate | PreparedDelete | PreparedCheck


@dataclass(frozen=True)
class PreparedQuery:
    table: TableSpec
    index: IndexSpec | None
    pk: Any
    sk: SortKeyCondition | None
    ascending: bool
    limit: int
    start_key: Key | None


COUNTED_FLAG = re.compile(r"[A-Za-z_#][A-Za-z0-9_]*")
"""The attribute names ``count`` filters on (written into a JSON path on SQLite)."""


def page_size(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError("limit must be a positive integer")
    return min(limit, MAX_PAGE_SIZE)


class Engine(ABC):
    """Base class of the engines; subclasses implement the underscore primitives."""

    overlapping_reads: bool  # Store.overlapping_reads, set by each engine

    def __init__(self, tables: TableRegistry = ALL_TABLES) -> None:
        self.tables = tables

    # -- public API (the Store protocol) ---------------------------------------------------

    async def get(self, table: str, key: Mapping[str, Any]) -> Item | None:
        spec = self.tables[table]
        return await self._get(spec, check_key(spec, key))

    async def batch_get(self, table: str, keys: Sequence[Mapping[str, Any]]) -> list[Item | None]:
        spec = self.tables[table]
        checked = [check_key(spec, k) for k in keys]
        if not checked:
            return []
        found = await self._batch_get(spec, _unique(spec, checked))
        by_key = {_key_id(spec, spec.key_of(item)): item for item in found}
        return [by_key.get(_key_id(spec, k)) for k in checked]

    async def put(
        self, table: str, item: Mapping[str, Any], *, condition: Condition | None = None
    ) -> None:
        spec = self.tables[table]
        await self._put(PreparedPut(spec, prepare_item(spec, item), condition))

    async def put_many(self, table: str, items: Sequence[Mapping[str, Any]]) -> None:
        spec = self.tables[table]
        prepared = [prepare_item(spec, i) for i in items]
        if prepared:
            await self._put_many(spec, prepared)

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
        return await self._update(
            self._prepare_update(Update(table, key, set or {}, remove, add or {}, condition))
        )

    async def delete(
        self, table: str, key: Mapping[str, Any], *, condition: Condition | None = None
    ) -> Item | None:
        spec = self.tables[table]
        return await self._delete(PreparedDelete(spec, check_key(spec, key), condition))

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
        spec = self.tables[table]
        try:
            idx = spec.index(index) if index is not None else None
        except KeyError as exc:
            raise ValidationError(str(exc)) from exc
        pk_attr = idx.pk if idx is not None else spec.pk
        sk_attr = idx.sk if idx is not None else spec.sk
        check_key_value(pk_attr, pk, f"{table} query")
        if sk is not None:
            if sk_attr is None:
                raise ValidationError(f"{table} query: there is no sort key to condition on")
            sk.check(sk_attr.type)
        # The fingerprint only when a cursor is read or written: most queries fit one page,
        # and hashing each cost a twentieth of a dashboard request (bench/api.py).
        start = None
        if cursor:
            start = decode_cursor(cursor, query_fingerprint(table, index, pk, sk, ascending))
        prepared = PreparedQuery(spec, idx, pk, sk, ascending, page_size(limit), start)
        items, last = await self._query(prepared)
        if last is None:
            return Page(items, None)
        return Page(items, encode_cursor(last, query_fingerprint(table, index, pk, sk, ascending)))

    async def count(self, table: str, pk: Any, *, not_true: Sequence[str] = ()) -> int:
        spec = self.tables[table]
        check_key_value(spec.pk, pk, f"{table} count")
        for name in not_true:
            if not COUNTED_FLAG.fullmatch(name):
                raise ValidationError(f"{table} count: {name!r} is not an attribute name")
        return await self._count(spec, pk, tuple(not_true))

    async def scan(
        self, table: str, *, limit: int | None = None, cursor: str | None = None
    ) -> Page:
        spec = self.tables[table]
        fingerprint = query_fingerprint(table, "scan")
        start = decode_cursor(cursor, fingerprint) if cursor else None
        items, last = await self._scan(spec, page_size(limit), start)
        return Page(items, encode_cursor(last, fingerprint) if last is not None else None)

    async def transact(self, actions: Sequence[TransactAction]) -> None:
        if not actions:
            return
        if len(actions) > MAX_TRANSACTION_ACTIONS:
            raise ValidationError(
                f"a transaction holds at most {MAX_TRANSACTION_ACTIONS} actions, got {len(actions)}"
            )
        prepared = [self._prepare_action(a) for a in actions]
        seen: set[tuple[str, str]] = set()
        for p in prepared:
            key = p.table.key_of(p.item) if isinstance(p, PreparedPut) else p.key
            ident = (p.table.name, _key_id(p.table, key))
            if ident in seen:
                raise ValidationError("a transaction cannot include two actions on one item")
            seen.add(ident)
        await self._transact(prepared)

    # -- preparation -----------------------------------------------------------------------

    def _prepare_update(self, action: Update) -> PreparedUpdate:
        spec = self.tables[action.table]
        key = check_key(spec, action.key)
        sets, removes = check_update(spec, action.set, action.remove, action.add)
        return PreparedUpdate(spec, key, sets, removes, dict(action.add), action.condition)

    def _prepare_action(self, action: TransactAction) -> PreparedAction:
        if isinstance(action, Put):
            spec = self.tables[action.table]
            return PreparedPut(spec, prepare_item(spec, action.item), action.condition)
        if isinstance(action, Update):
            return self._prepare_update(action)
        spec = self.tables[action.table]
        if isinstance(action, Delete):
            return PreparedDelete(spec, check_key(spec, action.key), action.condition)
        if isinstance(action, ConditionCheck):
            return PreparedCheck(spec, check_key(spec, action.key), action.condition)
        raise ValidationError(f"unknown transaction action {action!r}")

    # -- engine primitives -----------------------------------------------------------------

    @abstractmethod
    async def _get(self, table: TableSpec, key: Key) -> Item | None: ...

    @abstractmethod
    async def _batch_get(self, table: TableSpec, keys: list[Key]) -> list[Item]: ...

    @abstractmethod
    async def _put(self, put: PreparedPut) -> None: ...

    @abstractmethod
    async def _put_many(self, table: TableSpec, items: list[Item]) -> None: ...

    @abstractmethod
    async def _update(self, update: PreparedUpdate) -> Item: ...

    @abstractmethod
    async def _delete(self, delete: PreparedDelete) -> Item | None: ...

    @abstractmethod
    async def _query(self, query: PreparedQuery) -> tuple[list[Item], Key | None]: ...

    @abstractmethod
    async def _count(self, table: TableSpec, pk: Any, not_true: tuple[str, ...]) -> int: ...

    @abstractmethod
    async def _scan(
        self, table: TableSpec, limit: int, start: Key | None
    ) -> tuple[list[Item], Key | None]: ...

    @abstractmethod
    async def _transact(self, actions: list[PreparedAction]) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...


def _key_id(table: TableSpec, key: Mapping[str, Any]) -> str:
    return "\x1f".join(f"{type(key[n]).__name__}:{key[n]}" for n in table.key_names)


def _unique(table: TableSpec, keys: list[Key]) -> list[Key]:
    seen: dict[str, Key] = {}
    for k in keys:
        seen.setdefault(_key_id(table, k), k)
    return list(seen.values())
