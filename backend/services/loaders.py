"""Per-request DataLoaders: items by id, batched into one ``batch_get`` per table and tick.

Created for each request (a loader's cache must not outlive it) and cleared when a mutation
retries after a write conflict. Deleted items (tombstones) load as ``None``.
"""

from __future__ import annotations

from typing import Any

from aiodataloader import DataLoader

from ..storage.base import Store
from ..storage.items import Item


def is_live(item: Item | None) -> bool:
    return item is not None and not item.get("_deleted", False)


class ItemByIdLoader(DataLoader[str, Item | None]):
    """Items of one single-key table by their id."""

    def __init__(self, store: Store, table: str) -> None:
        super().__init__()
        self.store = store
        self.table = table
        self.key_name = store.tables[table].pk.name

    async def batch_load_fn(self, ids: list[str]) -> list[Item | None]:
        found = await self.store.batch_get(self.table, [{self.key_name: i} for i in ids])
        return [item if is_live(item) else None for item in found]


class Loaders:
    """The loaders of one request, one attribute per table."""

    def __init__(self, store: Store) -> None:
        self.user = ItemByIdLoader(store, "Users")
        self.session = ItemByIdLoader(store, "Sessions")
        self.venue = ItemByIdLoader(store, "Venues")
        self.goal = ItemByIdLoader(store, "Goals")
        self.habit = ItemByIdLoader(store, "Habits")
        self.event = ItemByIdLoader(store, "Events")
        self.category = ItemByIdLoader(store, "Categories")
        self.feedback = ItemByIdLoader(store, "SessionFeedbacks")
        self.notes = ItemByIdLoader(store, "MentorSessionNotes")

    def clear_all(self) -> None:
        for loader in vars(self).values():
            loader.clear_all()

    async def load(self, loader: Any, key: str | None) -> Item | None:
        return None if key is None else await loader.load(key)
