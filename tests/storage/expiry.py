"""``expire(store, now_epoch)``: make expired items go, on either engine, the way production
does it: the SQLite engine's own purge, or on DynamoDB what AWS's TTL process does (moto does
not run one, so this deletes the items whose ``_ttl`` has passed, table by table)."""

from __future__ import annotations

from backend.storage.dynamodb_engine import DynamoDBEngine
from backend.storage.engine import Engine
from backend.storage.sqlite_engine import SQLiteEngine


async def expire(store: Engine, now_epoch: int) -> dict[str, int]:
    if isinstance(store, SQLiteEngine):
        return await store.purge_expired(now_epoch)
    assert isinstance(store, DynamoDBEngine)
    removed: dict[str, int] = {}
    for spec in store.tables:
        if spec.ttl_attribute is None:
            continue
        cursor = None
        while True:
            page = await store.scan(spec.name, limit=1000, cursor=cursor)
            for item in page.items:
                if int(item.get(spec.ttl_attribute, now_epoch + 1)) <= now_epoch:
                    await store.delete(spec.name, spec.key_of(item))
                    removed[spec.name] = removed.get(spec.name, 0) + 1
            cursor = page.cursor
            if cursor is None:
                break
    return removed
