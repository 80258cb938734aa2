"""The Redis relay between two ``PokeHub``s (two processes' worth, in one event loop here):
a poke crosses once, a process does not hear its own poke twice, a malformed message on the
channel is ignored without stopping the relay, and the relays subscribe again after Redis
restarts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as redis

from backend.changefeed.broker import CHANNEL, RedisPokeRelay
from backend.changefeed.poke import PokeHub
from harness.processes import RedisServer

WAIT = 30.0  # only a lost poke takes this long


@pytest.fixture
async def relays(redis_server: Any) -> AsyncIterator[tuple[RedisPokeRelay, RedisPokeRelay]]:
    here, there = (
        RedisPokeRelay(redis_server.url, PokeHub()),
        RedisPokeRelay(redis_server.url, PokeHub()),
    )
    await here.start()
    await there.start()
    yield here, there
    await here.close()
    await there.close()


async def test_a_poke_reaches_the_other_hub_and_its_own_once(relays):
    here, there = relays
    with (
        here.hub.subscribe("ann") as mine,
        here.hub.subscribe("bob") as marker,
        there.hub.subscribe("ann") as theirs,
    ):
        here.hub.publish({"ann": 3})
        assert mine.get_nowait() == 3  # at once, not through Redis
        assert await asyncio.wait_for(theirs.get(), WAIT) == 3
        # Redis delivers a channel's messages in order: once the marker sent after the poke
        # has come back, an echo of the poke would have come back before it.
        there.hub.publish({"bob": 1})
        assert await asyncio.wait_for(marker.get(), WAIT) == 1
        assert mine.empty()


async def test_a_malformed_message_is_ignored_and_the_relay_goes_on(relays, redis_server):
    here, there = relays
    client = redis.Redis.from_url(redis_server.url)
    await client.publish(CHANNEL, b"not json")
    await client.publish(CHANNEL, b'{"origin": "x", "seqs": {"ann": "many"}}')
    await client.aclose()
    with there.hub.subscribe("ann") as theirs:
        here.hub.publish({"ann": 7})
        assert await asyncio.wait_for(theirs.get(), WAIT) == 7


async def test_the_public_feed_reaches_every_subscriber_of_the_other_hub(relays):
    here, there = relays
    with there.hub.subscribe("ann") as ann, there.hub.subscribe("bob") as bob:
        here.hub.publish({"public": 9})
        assert await asyncio.wait_for(ann.get(), WAIT) == 9
        assert await asyncio.wait_for(bob.get(), WAIT) == 9


async def test_pokes_cross_again_once_redis_is_back(tmp_path):
    with RedisServer(tmp_path / "redis.log") as server:
        here, there = RedisPokeRelay(server.url, PokeHub()), RedisPokeRelay(server.url, PokeHub())
        await here.start()
        await there.start()
        try:
            server.kill()
            server.start()  # the same port, empty: the relays must subscribe again
            with there.hub.subscribe("ann") as theirs:
                give_up = time.monotonic() + WAIT
                while theirs.empty():  # pokes sent while a relay reconnects are lost: resend
                    assert time.monotonic() < give_up, "no poke crossed after the restart"
                    here.hub.publish({"ann": 5})
                    await asyncio.sleep(0.2)
                assert theirs.get_nowait() == 5
        finally:
            await here.close()
            await there.close()
