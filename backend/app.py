"""The composition root: settings -> storage, clock, tokens -> the ASGI app (/graphql, /health)."""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from ariadne.asgi import GraphQL
from ariadne.asgi.handlers import GraphQLTransportWSHandler
from ariadne.explorer import ExplorerHttp405 as NoExplorer
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from domain.clock import Clock, SystemClock

from .api.context import context_factory, remember_connection_params
from .api.documents import parse_remembered, validate_remembered
from .api.errors import SILENCED, format_error
from .api.http import GraphQLOverHTTP
from .api.json_post import JsonPost
from .api.leaf_lists import LeafListExecutor
from .api.limits import rules_for
from .api.request_body import BodyLimit
from .api.schema import build_schema
from .auth.tokens import TokenIssuer
from .changefeed.broker import RedisPokeRelay
from .changefeed.runtime import SyncRuntime, SyncSettings
from .config import StartupError, StorageSettings, production_from_env
from .jobs.runner import schedule_jobs
from .services.context import Services
from .storage.base import Store
from .storage.expiry import interval_from_env
from .storage.factory import open_store


def token_secret(settings: StorageSettings) -> str:
    """``GROWLINK_JWT_SECRET``, else a random one kept beside the SQLite file (0600)."""
    from_env = os.environ.get("GROWLINK_JWT_SECRET")
    if from_env:
        return from_env
    if settings.engine != "sqlite" or settings.db_path == ":memory:":
        raise StartupError(
            "GROWLINK_JWT_SECRET is not set: run `export GROWLINK_JWT_SECRET=$(python3 -c "
            "'import secrets; print(secrets.token_urlsafe(48))')` and keep that value secret "
            "(every server process needs the same one)."
        )
    path = Path(f"{settings.db_path}.secret")
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def build_services(
    settings: StorageSettings, *, clock: Clock | None = None, secret: str | None = None
) -> Services:
    clock = clock or SystemClock()
    store: Store = open_store(settings)
    return Services(
        store=store,
        clock=clock,
        tokens=TokenIssuer(secret or token_secret(settings), clock),
        sync=SyncRuntime(settings=SyncSettings.from_env()),
    )


def create_app_from_env() -> Starlette:
    """The server process's app (``growlink-server serve``), configured from the environment."""
    app = create_app(
        build_services(StorageSettings.from_env()),
        purge_interval=interval_from_env(),
        production=production_from_env(),
        broker=os.environ.get("GROWLINK_BROKER") or None,
    )
    # The schema, tables and modules live for the whole process: keep them out of the cyclic
    # collector's way, and collect young objects less often (a request makes many short-lived
    # dicts). Measured with bench/api.py: p95 under concurrent load fell from 62 to 29 ms.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    return app


def create_app(
    services: Services,
    *,
    debug: bool = False,
    purge_interval: float | None = None,
    production: bool = False,
    broker: str | None = None,
) -> Starlette:
    """The ASGI app. ``purge_interval``: run the background jobs every minute and, on SQLite,
    purge expired tombstones and feed entries that often (seconds), both under the jobs'
    lease; ``None`` runs neither (tests run jobs and purges when they choose).
    ``production``: see ``production_from_env``. ``broker``: a Redis URL that carries pokes
    to and from the other server processes (``changefeed.broker``)."""
    graphql_app = GraphQL(
        build_schema(),
        context_value=context_factory(services),
        validation_rules=rules_for(production),
        explorer=NoExplorer() if production else None,
        http_handler=GraphQLOverHTTP(),
        execution_context_class=LeafListExecutor,
        execute_get_queries=True,
        query_parser=parse_remembered,
        query_validator=validate_remembered,
        error_formatter=format_error,
        logger=SILENCED,
        debug=False,
        introspection=True,
        # syncPoke: pokes reach the subscribers connected to this process, and through the
        # broker (if any) those of the others; without one, those notice by their 60 s poll.
        websocket_handler=GraphQLTransportWSHandler(on_connect=remember_connection_params),
    )

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        runner = None
        if purge_interval is not None:
            runner = schedule_jobs(services, purge_interval)
        relay = RedisPokeRelay(broker, services.sync.pokes) if broker else None
        if relay is not None:
            await relay.start()
        yield
        if relay is not None:
            await relay.close()
        if runner is not None:
            runner.shutdown(wait=False)
        services.sync.pages_ahead.close()
        await services.store.close()

    return Starlette(
        debug=debug,
        lifespan=lifespan,
        # The body's limits first, then the common request's short way past the router.
        middleware=[
            Middleware(BodyLimit),
            Middleware(JsonPost, handler=graphql_app.http_handler, services=services),
        ],
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
        ],
    )
