"""Per-request DataLoaders: items by id, batched into one ``batch_get`` per table and tick.

Created for each request (a loader's cache must not outlive it) and cleared when a mutation
retries after a write conflict. Deleted items (tombstones) load as ``None``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeGuard, TypeVar

from aiodataloader import DataLoader, Loader, dispatch_queue_batch

from ..storage.base import Store
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item
from ..storage.tables import Table

L = TypeVar("L", bound=DataLoader[Any, Any])


def is_live(item: Item | None) -> TypeGuard[Item]:
    """Stored and not a tombstone (``None``, a missing item, is not live)."""
    return item is not None and not item.get("_deleted", False)


K = TypeVar("K")
V = TypeVar("V")


class _TickLoader(DataLoader[K, V]):
    """aiodataloader's loader, its batch dispatched one loop turn after the first load
    instead of two, by a plain callback instead of a task (aiodataloader 0.4.3, pinned:
    ``_queue`` and ``dispatch_queue_batch`` are its own). Loads made in the same turn still
    share a batch, which is how sibling fields load; a dashboard request makes half the
    loop turns it made, and each turn costs the server a poll of its sockets."""

    def do_resolve_reject(self, key: K, future: asyncio.Future[V]) -> None:
        self._queue.append(Loader(key=key, future=future))
        if len(self._queue) == 1:
            self.loop.call_soon(self._dispatch)

    def _dispatch(self) -> None:
        queue, self._queue = self._queue, []
        self.loop.create_task(dispatch_queue_batch(self, queue))


class ItemByIdLoader(_TickLoader[str, Item | None]):
    """Items of one single-key table by their id."""

    def __init__(self, store: Store, table: str) -> None:
        super().__init__()
        self.store = store
        self.table = table
        self.key_name = store.tables[table].pk.name

    async def batch_load_fn(self, ids: list[str]) -> list[Item | None]:
        found = await self.store.batch_get(self.table, [{self.key_name: i} for i in ids])
        return [item if is_live(item) else None for item in found]


class PartitionLoader(_TickLoader[str, list[Item]]):
    """All live items of one partition of a table or index (up to ``cap``), by partition key.

    For per-item aggregates (a habit's completions, a goal's habits): the partitions of one
    tick are queried concurrently, and each is read once per request however many fields
    need it. Items come in sort-key order.
    """

    def __init__(self, store: Store, table: str, index: str | None = None, cap: int = 5000):
        super().__init__()
        self.store = store
        self.table = table
        self.index = index
        self.cap = cap
        self._loaded: dict[str, list[Item]] = {}

    async def batch_load_fn(self, keys: list[str]) -> list[list[Item]]:
        found = await _partitions(self.store, [self._partition(key) for key in keys])
        self._loaded.update(zip(keys, found, strict=True))
        return found

    def known(self, key: str) -> list[Item] | None:
        """The partition if this request has read it already, else None: a field can then
        answer at once instead of waiting for a loop turn."""
        return self._loaded.get(key)

    def clear(self, key: str) -> PartitionLoader:
        self._loaded.pop(key, None)
        return super().clear(key)

    def clear_all(self) -> PartitionLoader:
        self._loaded.clear()
        return super().clear_all()

    async def _partition(self, key: str) -> list[Item]:
        return await _read_partition(self.store, self.table, key, index=self.index, cap=self.cap)


class PartitionFromLoader(_TickLoader[tuple[str, str], list[Item]]):
    """The live items of a table's partition from a sort key on, by (partition key, lowest
    sort key): a habit's recent completions, when the older ones are summarised."""

    def __init__(self, store: Store, table: str, cap: int = 5000):
        super().__init__()
        self.store = store
        self.table = table
        self.cap = cap

    async def batch_load_fn(self, keys: list[tuple[str, str]]) -> list[list[Item]]:
        return await _partitions(
            self.store,
            [
                _read_partition(
                    self.store, self.table, pk, sk=SortKeyCondition.ge(low), cap=self.cap
                )
                for pk, low in keys
            ],
        )


async def _partitions(
    store: Store, reads: list[Coroutine[Any, Any, list[Item]]]
) -> list[list[Item]]:
    """The reads' results in order: concurrent tasks only where the store's reads overlap."""
    if len(reads) == 1 or not store.overlapping_reads:  # no tasks that cannot overlap
        return [await read for read in reads]
    return list(await asyncio.gather(*reads))


async def _read_partition(
    store: Store,
    table: str,
    key: str,
    *,
    index: str | None = None,
    sk: SortKeyCondition | None = None,
    cap: int,
) -> list[Item]:
    items: list[Item] = []
    cursor: str | None = None
    while len(items) < cap:
        page = await store.query(table, key, index=index, sk=sk, limit=1000, cursor=cursor)
        items += [item for item in page.items if is_live(item)]
        cursor = page.cursor
        if cursor is None:
            break
    return items[:cap]


class ItemByKeyLoader(_TickLoader[tuple[str, str], Item | None]):
    """Items of one two-key table by their (partition key, sort key) pair."""

    def __init__(self, store: Store, table: str) -> None:
        super().__init__()
        self.store = store
        self.table = table
        spec = store.tables[table]
        assert spec.sk is not None, f"{table} has a single key; use ItemByIdLoader"
        self.key_names = (spec.pk.name, spec.sk.name)

    async def batch_load_fn(self, keys: list[tuple[str, str]]) -> list[Item | None]:
        pk, sk = self.key_names
        found = await self.store.batch_get(self.table, [{pk: a, sk: b} for a, b in keys])
        return [item if is_live(item) else None for item in found]


class _MadeOnFirstUse(Generic[L]):
    """A ``Loaders`` attribute whose loader is made when first read, then kept on the
    instance (a non-data descriptor: the instance's own attribute wins from then on)."""

    def __init__(self, make: Callable[[Store], L]) -> None:
        self.make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, loaders: Loaders, owner: type | None = None) -> L:
        loader = self.make(loaders.store)
        vars(loaders)[self.name] = loader
        return loader


class Loaders:
    """The loaders of one request, one attribute per table, each made when first used (a
    request uses a few of them; making all sixteen cost a twentieth of a dashboard request,
    bench/api.py)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    user = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.USERS))
    session = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.SESSIONS))
    venue = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.VENUES))
    goal = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.GOALS))
    habit = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.HABITS))
    event = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.EVENTS))
    category = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.CATEGORIES))
    feedback = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.SESSION_FEEDBACKS))
    notes = _MadeOnFirstUse(lambda store: ItemByIdLoader(store, Table.MENTOR_SESSION_NOTES))
    attendance = _MadeOnFirstUse(  # by (eventId, userId)
        lambda store: ItemByKeyLoader(store, Table.EVENT_ATTENDANCES)
    )
    attendances_by_event = _MadeOnFirstUse(
        lambda store: PartitionLoader(store, Table.EVENT_ATTENDANCES)
    )
    reflections_by_goal = _MadeOnFirstUse(
        lambda store: PartitionLoader(store, Table.REFLECTIONS, "ReflectionsByGoal")
    )
    categories_by_user = _MadeOnFirstUse(
        lambda store: PartitionLoader(store, Table.USER_CATEGORIES)
    )
    habits_by_goal = _MadeOnFirstUse(
        lambda store: PartitionLoader(store, Table.HABITS, "HabitsByGoal")
    )
    todos_by_goal = _MadeOnFirstUse(
        lambda store: PartitionLoader(store, Table.TODOS, "TodosByGoal")
    )
    completions_by_habit = _MadeOnFirstUse(
        lambda store: PartitionLoader(store, Table.HABIT_COMPLETIONS)
    )
    completions_from = _MadeOnFirstUse(  # by (habitId, first date)
        lambda store: PartitionFromLoader(store, Table.HABIT_COMPLETIONS)
    )

    def clear_all(self) -> None:
        """Forget every loaded item (the loaders made so far: the others hold nothing)."""
        for made in vars(self).values():
            if isinstance(made, DataLoader):
                made.clear_all()

    async def load(self, loader: Any, key: str | None) -> Item | None:
        return None if key is None else await loader.load(key)
