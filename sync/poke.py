"""``syncPoke``: the server's "something changed for you" over a websocket.

gql's ``WebsocketsTransport`` offers both subprotocols (graphql-transport-ws and the older
graphql-ws) and takes whichever the server speaks; the access token travels in the
connection's init payload (``{"Authorization": "Bearer …"}``). The listener reconnects with
backoff forever; while it is not connected the engine falls back to polling more often.

The reconnect backoff is capped by ``retry_cap``: a server that restarts must find its open
apps listening again within seconds, or a change made right after the restart waits for the
app's next poll (the app uses a 2 s cap; a reconnect to a server that is down is one refused
TCP connection). ``wake()`` cuts a backoff short when the engine has just reached the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from .backoff import CAP_SECONDS, backoff_delay
from .documents import document

log = logging.getLogger("growlink.sync.poke")


def websocket_url(url: str) -> str:
    """``http(s)://host/graphql`` → ``ws(s)://host/graphql`` (a bare base URL gets /graphql)."""
    if not url.rstrip("/").endswith("/graphql"):
        url = url.rstrip("/") + "/graphql"
    if url.startswith("https://"):
        return "wss://" + url.removeprefix("https://")
    if url.startswith("http://"):
        return "ws://" + url.removeprefix("http://")
    return url


class PokeListener:
    """Subscribes to ``syncPoke`` and calls ``on_poke(seq)`` for each poke."""

    def __init__(
        self,
        url: str,
        token: Callable[[], str | None],
        on_poke: Callable[[int], None],
        *,
        on_connected: Callable[[], None] = lambda: None,
        rand: Callable[[], float] = random.random,
        connect_timeout: float = 10.0,
        retry_cap: float = CAP_SECONDS,
    ) -> None:
        self.url = websocket_url(url)
        self._token = token
        self._on_poke = on_poke
        self._on_connected = on_connected
        self._rand = rand
        self._connect_timeout = connect_timeout
        self._retry_cap = retry_cap
        self._wake = asyncio.Event()
        self.connected = False

    def wake(self) -> None:
        """The server answered the engine: reconnect now instead of at the backoff's end."""
        self._wake.set()

    async def run(self) -> None:
        """Listen until cancelled, reconnecting with backoff."""
        failures = 0
        while True:
            try:
                await self._listen()
                failures = 0  # the server ended the subscription cleanly: reconnect at once
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure: note it, wait, reconnect
                failures += 1
                log.info("sync poke unavailable (%s); polling instead", exc)
            finally:
                self.connected = False
            delay = backoff_delay(failures, self._rand(), cap=self._retry_cap) if failures else 0.1
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _listen(self) -> None:
        token = self._token()
        transport = WebsocketsTransport(
            url=self.url,
            init_payload={"Authorization": f"Bearer {token}"} if token else {},
            connect_timeout=self._connect_timeout,
        )
        client = Client(transport=transport)
        session = await client.connect_async()  # type: ignore[no-untyped-call]  # gql untyped
        try:
            self.connected = True
            self._on_connected()
            async for result in session.subscribe(GraphQLRequest(document("sync_poke"))):
                self._on_poke(int(result["syncPoke"]))
        finally:
            await client.close_async()  # type: ignore[no-untyped-call]
