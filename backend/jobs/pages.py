"""Every item of one index query, page after page (jobs read whole partitions of an index)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..storage.base import MAX_PAGE_SIZE, Store
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item


async def index_items(
    store: Store, table: str, index: str, pk: str, sk: SortKeyCondition | None = None
) -> AsyncIterator[Item]:
    cursor: str | None = None
    while True:
        page = await store.query(table, pk, index=index, sk=sk, limit=MAX_PAGE_SIZE, cursor=cursor)
        for item in page.items:
            if not item.get("_deleted"):
                yield item
        cursor = page.cursor
        if cursor is None:
            return
