"""``growlink-server``: create tables, print the schema, serve the API, seed demo data."""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import secrets
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .config import StartupError, StorageSettings, production_from_env
from .storage.tables import Table, is_person_key

if TYPE_CHECKING:
    from .storage.engine import Engine


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


def check_dynamodb(settings: StorageSettings) -> None:
    """Before serving: credentials and tables exist, else one sentence saying what to run."""
    from botocore.exceptions import NoCredentialsError

    from .storage.dynamodb_engine import DynamoDBEngine
    from .storage.errors import StorageError

    engine = DynamoDBEngine(
        endpoint_url=settings.endpoint_url,
        region=settings.region,
        table_prefix=settings.table_prefix,
    )
    try:
        missing = engine.missing_tables()
    except StorageError as exc:
        if isinstance(exc.__cause__, NoCredentialsError):
            raise StartupError(
                "No AWS credentials found: run `aws configure` (or set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and start again."
            ) from exc
        raise StartupError(
            f"DynamoDB is not reachable ({exc}): check GROWLINK_DYNAMODB_ENDPOINT and "
            "AWS_REGION, then start again."
        ) from exc
    if missing:
        raise StartupError(
            f"{len(missing)} DynamoDB tables are missing (e.g. {missing[0]}): run "
            "`growlink-server init-tables --engine dynamodb` or start with "
            "`growlink-server serve --init-tables`."
        )


def check_broker(url: str) -> None:
    """Before serving: the broker's URL is well-formed and Redis answers a PING."""

    from redis.exceptions import RedisError

    from .changefeed.broker import BadBrokerURL, broker_answers

    try:
        asyncio.run(broker_answers(url))
    except BadBrokerURL as exc:
        raise StartupError(f"{exc} (--broker or GROWLINK_BROKER).") from exc
    except (RedisError, OSError) as exc:
        raise StartupError(
            f"The broker at {url} does not answer ({exc}): start redis-server or fix --broker."
        ) from exc


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import token_secret

    settings = storage_settings(args)
    secret = token_secret(settings)
    if args.init_tables:
        _init_tables(args)
    if settings.engine == "dynamodb":
        check_dynamodb(settings)
    if args.broker:
        check_broker(args.broker)
    elif args.workers > 1:
        print(
            f"growlink-server: {args.workers} workers without --broker: a change pokes only the "
            "devices connected to its own worker; the others see it at their next poll "
            "(within 60 s).",
            file=sys.stderr,
            flush=True,
        )
    # Workers are separate processes: they read their settings from the environment.
    os.environ.update(
        {
            "GROWLINK_ENGINE": settings.engine,
            "GROWLINK_DB": settings.db_path,
            "GROWLINK_DYNAMODB_ENDPOINT": settings.endpoint_url or "",
            "GROWLINK_TABLE_PREFIX": settings.table_prefix,
            "AWS_REGION": settings.region,
            "GROWLINK_JWT_SECRET": secret,
            "GROWLINK_BROKER": args.broker or "",
        }
    )
    if args.production:
        os.environ["GROWLINK_PRODUCTION"] = "1"
    print(f"Growlink API on http://{args.host}:{args.port}/graphql", flush=True)
    uvicorn.run(
        "backend.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        log_config=_log_config(args.log_level),
        access_log=False,
    )
    return 0


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging plus the ``growlink`` loggers at ``level``, so an expected error's
    one INFO line and the jobs' lines reach the output; uvicorn applies it in every worker."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    growlink = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    config["loggers"]["growlink"] = growlink
    return config


def _create_admin(args: argparse.Namespace) -> int:
    from .app import build_services
    from .services.users import promote_to_admin

    services = build_services(storage_settings(args))
    user = asyncio.run(promote_to_admin(services, args.email))
    print(f"{user['email']} ({user['userId']}) is now an admin")
    return 0


async def _holds_users(store: Engine) -> bool:
    """Whether any person is stored: the Users table's companions (a failed sign-in's
    throttle counter, say) do not count."""
    cursor: str | None = None
    while True:
        page = await store.scan(Table.USERS, limit=100, cursor=cursor)
        if any(is_person_key(str(item["userId"])) for item in page.items):
            return True
        if page.cursor is None:
            return False
        cursor = page.cursor


def _seed_demo(args: argparse.Namespace) -> int:
    from .demo import DEMO_PASSWORD, seed_demo
    from .storage.factory import open_store

    async def run() -> dict[str, int]:
        store = open_store(storage_settings(args))
        try:
            if await _holds_users(store):
                raise SystemExit("the store already holds users; seed-demo fills an empty store")
            return await seed_demo(store, seed=args.seed)
        finally:
            await store.close()

    counts = asyncio.run(run())
    total = sum(counts.values())
    print(f"demo world ready: {total} API calls replayed over 60 days")
    for name, count in sorted(counts.items()):
        print(f"  {name:<28}{count:>6}")
    print("sign in as ana.souza@growlink.demo (mentee), maya.okafor@growlink.demo (mentor) or")
    print(f"growlink.admin@growlink.demo (admin); every demo password is {DEMO_PASSWORD!r}")
    return 0


def _run_jobs(args: argparse.Namespace) -> int:
    from domain.clock import FixedClock, SystemClock, parse_utc

    from .app import build_services
    from .jobs import lease
    from .jobs.runner import PassCounts, run_due_jobs

    clock = FixedClock(parse_utc(args.now, field="--now")) if args.now else SystemClock()
    # Jobs issue no access tokens: a throwaway secret, so DynamoDB needs no JWT secret here.
    services = build_services(storage_settings(args), clock=clock, secret=secrets.token_hex(32))

    async def run() -> PassCounts | None:
        holder = f"run-jobs-{os.getpid()}"
        try:
            counts = await run_due_jobs(services, holder)
            if counts is not None:
                await lease.release(services.store, holder)
            return counts
        finally:
            await services.store.close()

    counts = asyncio.run(run())
    if counts is None:
        print("another process holds the jobs' lease; nothing run")
        return 1
    for name, count in counts.items():
        print(
            f"{name:<24}{count:>6} sent"
            if count is not None
            else f"{name:<24} failed (see the log)"
        )
    return 0 if None not in counts.values() else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="growlink-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init-tables", help="create every table and index (safe to re-run)")
    _add_storage_options(init)
    init.set_defaults(run=_init_tables)

    serve = commands.add_parser(
        "serve", help="serve GraphQL at /graphql and a health check at /health"
    )
    _add_storage_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="server processes (SQLite: WAL)")
    serve.add_argument(
        "--broker",
        default=os.environ.get("GROWLINK_BROKER") or None,
        help="redis://HOST:PORT/DB: pokes reach devices on every process (GROWLINK_BROKER)",
    )
    serve.add_argument(
        "--production",
        action="store_true",
        default=production_from_env(),
        help="no GraphiQL, no introspection for signed-out callers (GROWLINK_PRODUCTION=1)",
    )
    serve.add_argument(
        "--init-tables", action="store_true", help="create missing tables before serving"
    )
    serve.set_defaults(run=_serve)

    admin = commands.add_parser("create-admin", help="give an existing user the admin role")
    _add_storage_options(admin)
    admin.add_argument("email")
    admin.set_defaults(run=_create_admin)

    seed = commands.add_parser("seed-demo", help="fill an empty store with a demo world")
    _add_storage_options(seed)
    seed.add_argument("--seed", type=int, default=7, help="random seed of the demo world")
    seed.set_defaults(run=_seed_demo)

    jobs = commands.add_parser("run-jobs", help="run every background job due now, once")
    _add_storage_options(jobs)
    jobs.add_argument("--now", help="the instant to run at (ISO-8601 UTC; default: now)")
    jobs.set_defaults(run=_run_jobs)

    schema = commands.add_parser("schema", help="print the GraphQL SDL")
    schema.set_defaults(run=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.run(args)
    except StartupError as exc:
        print(f"growlink-server: {exc}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    raise SystemExit(main())
