"""``growlink-server``: create tables, print the schema, serve the API, seed demo data."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from .config import StorageSettings


def _add_storage_options(parser: argparse.ArgumentParser) -> None:
    env = StorageSettings.from_env()
    parser.add_argument("--engine", choices=["sqlite", "dynamodb"], default=env.engine)
    parser.add_argument("--db", default=env.db_path, help="SQLite file (sqlite engine)")
    parser.add_argument("--endpoint-url", default=env.endpoint_url, help="DynamoDB endpoint URL")
    parser.add_argument("--region", default=env.region)
    parser.add_argument("--table-prefix", default=env.table_prefix, help="e.g. growlink-dev-")


def storage_settings(args: argparse.Namespace) -> StorageSettings:
    return StorageSettings(
        engine=args.engine,
        db_path=args.db,
        endpoint_url=args.endpoint_url,
        region=args.region,
        table_prefix=args.table_prefix,
    )


def _init_tables(args: argparse.Namespace) -> int:
    settings = storage_settings(args)
    if settings.engine == "dynamodb":
        from .storage.dynamodb_engine import DynamoDBEngine

        engine = DynamoDBEngine(
            endpoint_url=settings.endpoint_url,
            region=settings.region,
            table_prefix=settings.table_prefix,
        )
        created = engine.create_tables()
        for name in created:
            print(f"created {name}")
        print(f"{len(engine.tables)} tables ready ({len(created)} created or extended)")
        return 0
    from .storage.sqlite_engine import SQLiteEngine

    sqlite = SQLiteEngine(settings.db_path, table_prefix=settings.table_prefix)
    asyncio.run(sqlite.close())
    print(f"{len(sqlite.tables)} tables ready in {settings.db_path}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .api.sdl import load_type_defs

    sys.stdout.write(load_type_defs())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="growlink-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init-tables", help="create every table and index (safe to re-run)")
    _add_storage_options(init)
    init.set_defaults(run=_init_tables)

    schema = commands.add_parser("schema", help="print the GraphQL SDL")
    schema.set_defaults(run=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
