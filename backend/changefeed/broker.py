"""Pokes across server processes through Redis pub/sub (``serve --broker redis://HOST:PORT/DB``).

Each process still pokes its own subscribers at once; the relay also publishes the feed's new
``lastSeq`` on one channel, and every other process delivers what it hears to its own
subscribers. A message names the process that sent it, so none is delivered twice.

Pokes carry no data, so losing some is safe: while Redis is unreachable the relay logs it,
keeps trying every second, and devices on other processes find changes by their poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Mapping
from urllib.parse import urlsplit

import redis.asyncio as redis
from redis.exceptions import RedisError

from .poke import PokeHub

CHANNEL = "growlink:pokes"
RECONNECT_SECONDS = 1.0
log = logging.getLogger("growlink.broker")


class BadBrokerURL(ValueError):
    """The broker setting is not ``redis://HOST:PORT/DB``."""


def check_broker_url(url: str) -> str:
    """``url`` when it is ``redis://HOST[:PORT][/DB]`` (or ``rediss://``); else BadBrokerURL."""
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in ("redis", "rediss")
        or not parts.hostname
        or (port is not None and port <= 0)
        or (database and not database.isdigit())
    ):
        raise BadBrokerURL(f"the broker must be redis://HOST:PORT/DB, got {url!r}")
    return url


class RedisPokeRelay:
    """Relays ``hub``'s pokes to the other processes on the broker, and theirs to ``hub``."""

    def __init__(self, url: str, hub: PokeHub) -> None:
        self.url = check_broker_url(url)
        self.hub = hub
        self.origin = uuid.uuid4().hex
        self._pending: dict[str, int] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._client: redis.Redis | None = None

    async def start(self) -> None:
        """Subscribe, then relay until ``close()``; the hub sends its pokes here."""
        self._client = redis.Redis.from_url(self.url)
        subscribed = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._listen(subscribed)),
            asyncio.create_task(self._send_pending()),
        ]
        self.hub.relay = self.send
        # Wait (briefly) for the subscription, so a poke right after start-up is heard.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(subscribed.wait(), 5)

    def send(self, seqs: Mapping[str, int]) -> None:
        """Queue this process's pokes for the broker; newer seqs replace older ones."""
        for feed_id, seq in seqs.items():
            self._pending[feed_id] = max(seq, self._pending.get(feed_id, seq))
        self._wake.set()

    async def _send_pending(self) -> None:
        assert self._client is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            seqs, self._pending = self._pending, {}
            message = json.dumps({"origin": self.origin, "seqs": seqs})
            try:
                await self._client.publish(CHANNEL, message)
            except RedisError as error:
                log.warning("broker unreachable, pokes stay in this process: %s", error)
                await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen(self, subscribed: asyncio.Event) -> None:
        assert self._client is not None
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._deliver(message["data"])
            except RedisError as error:
                log.warning("broker unreachable, retrying in %.0f s: %s", RECONNECT_SECONDS, error)
                await asyncio.sleep(RECONNECT_SECONDS)

    def _deliver(self, data: bytes) -> None:
        try:
            message = json.loads(data)
            seqs = {str(f): int(s) for f, s in message["seqs"].items()}
            origin = message["origin"]
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignored a malformed message on %s", CHANNEL)
            return
        if origin != self.origin:
            self.hub.deliver(seqs)

    async def close(self) -> None:
        self.hub.relay = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, RedisError):
                await task
        if self._client is not None:
            await self._client.aclose()


async def broker_answers(url: str) -> None:
    """PING the broker once; RedisError when it does not answer (checked before serving)."""
    client = redis.Redis.from_url(check_broker_url(url), socket_connect_timeout=5)
    try:
        await client.ping()
    finally:
        await client.aclose()
