"""Several ``growlink-server`` processes on one store (a SQLite file, or one table prefix on
DynamoDB Local) with a Redis broker, and the syncPoke subscriptions of their devices."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport

from backend.storage.dynamodb_engine import DynamoDBEngine
from backend.storage.engine import Engine
from backend.storage.sqlite_engine import SQLiteEngine
from harness.processes import DynamoDBEmulator, ServerProcess

POKE = gql("subscription { syncPoke }")
TODO = "mutation($i: CreateTodoInput!) { createTodo(input: $i) { todoId } }"


class StartsServers(Protocol):
    """``ServerProcess`` itself, or the test fixture that also stops it at the end."""

    def __call__(
        self,
        db: Path,
        *,
        dynamodb: DynamoDBEmulator | None,
        table_prefix: str,
        options: Sequence[str],
        log: Path,
    ) -> ServerProcess: ...


class SharedStore:
    """Where every server of a test keeps its data: ``start(...)`` serves it once more."""

    def __init__(self, folder: Path, dynamodb: DynamoDBEmulator | None) -> None:
        self.db = folder / "shared.db"
        self.dynamodb = dynamodb
        self.table_prefix = f"scale{uuid.uuid4().hex[:8]}-"

    def engine(self) -> Engine:
        """The store itself, to seed it or read it (tables created first on DynamoDB)."""
        if self.dynamodb is None:
            return SQLiteEngine(self.db)
        engine = DynamoDBEngine(endpoint_url=self.dynamodb.url, table_prefix=self.table_prefix)
        engine.create_tables()
        return engine

    def start(self, starter: StartsServers, *options: str) -> ServerProcess:
        log = self.db.with_name(f"server-{uuid.uuid4().hex[:6]}.log")
        return starter(
            self.db,
            dynamodb=self.dynamodb,
            table_prefix=self.table_prefix,
            options=list(options),
            log=log,
        )


@asynccontextmanager
async def poke_stream(url: str, token: str) -> AsyncIterator[Any]:
    """A device's syncPoke subscription on the server at ``url``; yields its stream after the
    first poke (the current seq), so the next one is a change made after subscribing."""
    transport = WebsocketsTransport(
        url=url.replace("http://", "ws://") + "/graphql",
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with Client(transport=transport) as session:
        stream = session.subscribe(POKE)
        await stream.__anext__()
        try:
            yield stream
        finally:
            await stream.aclose()
