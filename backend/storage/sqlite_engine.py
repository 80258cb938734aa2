"""The embedded engine: every table in one SQLite file, every GSI a real (partial) index.

Layout per table: the primary key columns, the item as JSON, and two columns per GSI holding
that index's key values (NULL when the item lacks one, so the partial index leaves it out:
a sparse index, as on DynamoDB). All work runs on one connection behind a lock, so concurrent
async requests in one process never meet "database is locked"; other processes wait on
``busy_timeout``. Writes that check a condition run inside ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from .conditions import SortKeyCondition, holds
from .engine import (
    Engine,
    PreparedAction,
    PreparedCheck,
    PreparedDelete,
    PreparedPut,
    PreparedQuery,
    PreparedUpdate,
)
from .errors import ConditionFailed, StorageUnavailable, TransactionCancelled, ValidationError
from .items import Item, Key, apply_update, prepare_item
from .tables import ALL_TABLES, TableRegistry, TableSpec

BUSY_TIMEOUT_MS = 10_000


def _dumps(item: Item) -> str:
    """orjson is several times faster; integers beyond 64 bits (DynamoDB allows 38 digits)
    go through the standard library, marked by a leading space so ``_loads`` knows."""
    try:
        return orjson.dumps(item).decode()
    except TypeError:
        return " " + json.dumps(item, separators=(",", ":"), ensure_ascii=False)


def _loads(text: str) -> Item:
    item: Item = json.loads(text) if text.startswith(" ") else orjson.loads(text)
    return item


def _loads_rows(rows: Iterable[tuple[str]]) -> list[Item]:
    """``_loads`` of each row's item, in one loop (a dashboard decodes a hundred)."""
    loads = orjson.loads
    return [json.loads(text) if text[0] == " " else loads(text) for (text,) in rows]


class _Layout:
    """SQL names and statements for one table."""

    def __init__(self, spec: TableSpec, prefix: str) -> None:
        self.spec = spec
        self.name = f'"{prefix}{spec.name}"'
        self.has_sk = spec.sk is not None
        self.key_cols = ["pk", "sk"] if self.has_sk else ["pk"]
        self.index_cols = {i.name: (f"g{n}_pk", f"g{n}_sk") for n, i in enumerate(spec.indexes)}
        cols = [*self.key_cols, "item"]
        for gpk, gsk in self.index_cols.values():
            cols += [gpk, gsk]
        self.columns = cols
        marks = ",".join("?" * len(cols))
        self.upsert_sql = f"INSERT OR REPLACE INTO {self.name} ({','.join(cols)}) VALUES ({marks})"
        key_where = " AND ".join(f"{c}=?" for c in self.key_cols)
        self.get_sql = f"SELECT item FROM {self.name} WHERE {key_where}"
        self.delete_sql = f"DELETE FROM {self.name} WHERE {key_where}"

    def ddl(self) -> list[str]:
        cols = ", ".join(f"{c}" + (" NOT NULL" if c in self.key_cols else "") for c in self.columns)
        stmts = [
            f"CREATE TABLE IF NOT EXISTS {self.name} "
            f"({cols}, PRIMARY KEY ({', '.join(self.key_cols)})) WITHOUT ROWID"
        ]
        for index in self.spec.indexes:
            gpk, gsk = self.index_cols[index.name]
            ix = f'"ix_{self.name.strip(chr(34))}_{index.name}"'
            stmts.append(
                f"CREATE INDEX IF NOT EXISTS {ix} ON {self.name} "
                f"({gpk}, {gsk}, {', '.join(self.key_cols)}) WHERE {gpk} IS NOT NULL"
            )
        return stmts

    def key_values(self, key: Key) -> list[Any]:
        return [key[n] for n in self.spec.key_names]

    def row(self, item: Item) -> list[Any]:
        values: list[Any] = [item[n] for n in self.spec.key_names]
        values.append(_dumps(item))
        for index in self.spec.indexes:
            pk = item.get(index.pk.name)
            sk = item.get(index.sk.name) if index.sk is not None else ""
            if pk is None or sk is None:
                values += [None, None]
            else:
                values += [pk, sk]
        return values


def _sort_clause(column: str, op: str) -> str:
    if op == "between":
        return f"{column} BETWEEN ? AND ?"
    if op == "begins_with":
        return f"{column} >= ? AND substr({column}, 1, ?) = ?"
    return f"{column} {op} ?"


def _sort_values(cond: SortKeyCondition) -> list[Any]:
    """The parameters of ``_sort_clause(column, cond.op)``."""
    if cond.op == "between":
        return [cond.value, cond.upper]
    if cond.op == "begins_with":
        return [cond.value, len(cond.value), cond.value]
    return [cond.value]


class _Guarded:
    """The connection under the engine's lock; an operational error (busy, I/O) rolls back
    an open transaction and becomes ``StorageUnavailable``. A class, not a generator-based
    context manager: every storage call enters it, and this costs a third as much."""

    def __init__(self, lock: threading.RLock, conn: sqlite3.Connection) -> None:
        self._lock = lock
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        return self._conn

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if isinstance(exc, sqlite3.OperationalError):
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StorageUnavailable(f"sqlite: {exc}") from exc
        finally:
            self._lock.release()


class SQLiteEngine(Engine):
    """The default engine: one SQLite database file (or ``:memory:``)."""

    overlapping_reads = False  # each call runs on the caller's thread, under the lock

    def __init__(
        self,
        path: str | Path,
        *,
        table_prefix: str = "",
        tables: TableRegistry = ALL_TABLES,
    ) -> None:
        super().__init__(tables)
        self.path = str(path)
        self.table_prefix = table_prefix
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._guarded = _Guarded(self._lock, self._conn)
        self._query_sql: dict[tuple[str, str | None, str | None, bool, bool], str] = {}
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        # Reads of a large partition through an index jump between pages: mapped pages and a
        # 64 MiB page cache keep them from being copied in one system call each.
        self._conn.execute("PRAGMA mmap_size=268435456")
        self._conn.execute("PRAGMA cache_size=-65536")
        self._layouts = {spec.name: _Layout(spec, table_prefix) for spec in tables}
        with self._guard():
            for layout in self._layouts.values():
                for stmt in layout.ddl():
                    self._conn.execute(stmt)

    def _guard(self) -> _Guarded:
        return self._guarded

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _read(self, conn: sqlite3.Connection, table: TableSpec, key: Key) -> Item | None:
        layout = self._layouts[table.name]
        row = conn.execute(layout.get_sql, layout.key_values(key)).fetchone()
        return _loads(row[0]) if row else None

    # -- primitives ------------------------------------------------------------------------

    async def _get(self, table: TableSpec, key: Key) -> Item | None:
        with self._guard() as conn:
            return self._read(conn, table, key)

    async def _batch_get(self, table: TableSpec, keys: list[Key]) -> list[Item]:
        layout = self._layouts[table.name]
        out: list[Item] = []
        width = len(layout.key_cols)
        chunk = 400 // width
        with self._guard() as conn:
            for start in range(0, len(keys), chunk):
                part = keys[start : start + chunk]
                tuples = ",".join(["(" + ",".join("?" * width) + ")"] * len(part))
                params = [v for k in part for v in layout.key_values(k)]
                cols = ",".join(layout.key_cols)
                sql = f"SELECT item FROM {layout.name} WHERE ({cols}) IN (VALUES {tuples})"
                out += _loads_rows(conn.execute(sql, params))
        return out

    async def _put(self, put: PreparedPut) -> None:
        layout = self._layouts[put.table.name]
        if put.condition is None:
            with self._guard() as conn:
                conn.execute(layout.upsert_sql, layout.row(put.item))
            return
        with self._transaction() as conn:
            current = self._read(conn, put.table, put.table.key_of(put.item))
            if not holds(put.condition, current):
                raise ConditionFailed(f"{put.table.name}: the conditional request failed")
            conn.execute(layout.upsert_sql, layout.row(put.item))

    async def _put_many(self, table: TableSpec, items: list[Item]) -> None:
        layout = self._layouts[table.name]
        with self._transaction() as conn:
            conn.executemany(layout.upsert_sql, [layout.row(i) for i in items])

    def _apply_update(self, conn: sqlite3.Connection, update: PreparedUpdate) -> Item:
        current = self._read(conn, update.table, update.key)
        if not holds(update.condition, current):
            raise ConditionFailed(f"{update.table.name}: the conditional request failed")
        new = prepare_item(
            update.table, apply_update(current, update.key, update.sets, update.removes, update.add)
        )
        layout = self._layouts[update.table.name]
        conn.execute(layout.upsert_sql, layout.row(new))
        return new

    async def _update(self, update: PreparedUpdate) -> Item:
        with self._transaction() as conn:
            return self._apply_update(conn, update)

    async def _delete(self, delete: PreparedDelete) -> Item | None:
        layout = self._layouts[delete.table.name]
        with self._transaction() as conn:
            current = self._read(conn, delete.table, delete.key)
            if not holds(delete.condition, current):
                raise ConditionFailed(f"{delete.table.name}: the conditional request failed")
            if current is not None:
                conn.execute(layout.delete_sql, layout.key_values(delete.key))
            return current

    async def _query(self, query: PreparedQuery) -> tuple[list[Item], Key | None]:
        table = query.table
        shape = (
            table.name,
            query.index.name if query.index is not None else None,
            query.sk.op if query.sk is not None else None,
            query.start_key is not None,
            query.ascending,
        )
        sql = self._query_sql.get(shape)
        if sql is None:
            sql = self._query_sql[shape] = self._build_query_sql(query)
        params: list[Any] = [query.pk]
        if query.sk is not None:
            params += _sort_values(query.sk)
        if query.start_key is not None:
            params += self._start_values(query, query.start_key)
        params.append(query.limit + 1)
        with self._guard() as conn:
            rows = conn.execute(sql, params).fetchall()
        items = _loads_rows(rows[: query.limit])
        if len(rows) <= query.limit:
            return items, None
        last = items[-1]
        last_key = table.key_of(last)
        if query.index is not None:
            last_key.update({n: last[n] for n in query.index.key_names})
        return items, last_key

    async def _count(self, table: TableSpec, pk: Any, not_true: tuple[str, ...]) -> int:
        layout = self._layouts[table.name]
        # json_type says 'true' only for JSON true (not for 1), as DynamoDB's BOOL compares.
        where = "".join(" AND json_type(item, ?) IS NOT 'true'" for _ in not_true)
        sql = f"SELECT count(*) FROM {layout.name} WHERE pk = ?{where}"
        with self._guard() as conn:
            (found,) = conn.execute(sql, [pk, *(f'$."{name}"' for name in not_true)]).fetchone()
        return int(found)

    def _build_query_sql(self, query: PreparedQuery) -> str:
        """The statement of every query of this shape (table, index, sort-key operator,
        with or without a start key, direction): its parameters are the pk, the sort-key
        values, the start key's values and the limit, in that order."""
        layout = self._layouts[query.table.name]
        if query.index is None:
            pk_col, sk_col = "pk", ("sk" if layout.has_sk else None)
            order_cols = list(layout.key_cols)
            indexed_by = ""
        else:
            pk_col, sk_col = layout.index_cols[query.index.name]
            order_cols = [sk_col, *layout.key_cols]
            ix = f"ix_{layout.name.strip(chr(34))}_{query.index.name}"
            indexed_by = f' INDEXED BY "{ix}"'
        where = [f"{pk_col} = ?"]
        if query.index is not None:
            where.append(f"{sk_col} IS NOT NULL")
        if query.sk is not None and sk_col is not None:
            where.append(_sort_clause(sk_col, query.sk.op))
        if query.start_key is not None:
            cmp = ">" if query.ascending else "<"
            where.append(f"({','.join(order_cols)}) {cmp} ({','.join('?' * len(order_cols))})")
        direction = "ASC" if query.ascending else "DESC"
        order = ", ".join(f"{c} {direction}" for c in order_cols)
        return (
            f"SELECT item FROM {layout.name}{indexed_by} WHERE {' AND '.join(where)} "
            f"ORDER BY {order} LIMIT ?"
        )

    def _start_values(self, query: PreparedQuery, start: Key) -> list[Any]:
        try:
            values = [start[n] for n in query.table.key_names]
            if query.index is not None:
                sk_value = start[query.index.sk.name] if query.index.sk is not None else ""
                values.insert(0, sk_value)
        except KeyError as exc:
            raise ValidationError("the cursor is not valid for this query") from exc
        return values

    async def _scan(
        self, table: TableSpec, limit: int, start: Key | None
    ) -> tuple[list[Item], Key | None]:
        layout = self._layouts[table.name]
        cols = ",".join(layout.key_cols)
        where, params = "", []
        if start is not None:
            where = f" WHERE ({cols}) > ({','.join('?' * len(layout.key_cols))})"
            params = [start.get(n) for n in table.key_names]
        sql = f"SELECT item FROM {layout.name}{where} ORDER BY {cols} LIMIT ?"
        with self._guard() as conn:
            rows = conn.execute(sql, [*params, limit + 1]).fetchall()
        items = _loads_rows(rows[:limit])
        if len(rows) <= limit:
            return items, None
        return items, table.key_of(items[-1])

    async def _transact(self, actions: list[PreparedAction]) -> None:
        with self._transaction() as conn:
            reasons: list[str | None] = []
            for action in actions:
                key = (
                    action.table.key_of(action.item)
                    if isinstance(action, PreparedPut)
                    else action.key
                )
                current = self._read(conn, action.table, key)
                ok = holds(action.condition, current)
                reasons.append(None if ok else "ConditionalCheckFailed")
            if any(r is not None for r in reasons):
                raise TransactionCancelled(reasons)
            for action in actions:
                layout = self._layouts[action.table.name]
                if isinstance(action, PreparedPut):
                    conn.execute(layout.upsert_sql, layout.row(action.item))
                elif isinstance(action, PreparedUpdate):
                    self._apply_update(conn, action)
                elif isinstance(action, PreparedDelete):
                    conn.execute(layout.delete_sql, layout.key_values(action.key))
                elif not isinstance(action, PreparedCheck):
                    raise TypeError(f"unknown action {action!r}")

    async def purge_expired(self, now_epoch: int) -> dict[str, int]:
        """Delete the items whose TTL attribute is at or before ``now_epoch``: what DynamoDB's
        time to live does by itself (tombstones, feed entries). One short transaction per
        table; returns how many items went, by table."""
        removed: dict[str, int] = {}
        for layout in self._layouts.values():
            attribute = layout.spec.ttl_attribute
            if attribute is None:
                continue
            sql = f"DELETE FROM {layout.name} WHERE json_extract(item, ?) <= ?"
            with self._transaction() as conn:
                count = conn.execute(sql, [f"$.{attribute}", now_epoch]).rowcount
            if count:
                removed[layout.spec.name] = count
        return removed

    async def close(self) -> None:
        with self._lock:
            self._conn.close()
