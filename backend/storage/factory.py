"""Open the configured engine: the one place that knows both engine classes."""

from __future__ import annotations

from ..config import StorageSettings
from .engine import Engine
from .tables import ALL_TABLES, TableRegistry


def open_store(settings: StorageSettings, tables: TableRegistry = ALL_TABLES) -> Engine:
    if settings.engine == "dynamodb":
        from .dynamodb_engine import DynamoDBEngine

        return DynamoDBEngine(
            endpoint_url=settings.endpoint_url,
            region=settings.region,
            table_prefix=settings.table_prefix,
            tables=tables,
        )
    from .sqlite_engine import SQLiteEngine

    return SQLiteEngine(settings.db_path, table_prefix=settings.table_prefix, tables=tables)
