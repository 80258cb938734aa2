"""Pokes across server processes through Redis: a device subscribed to one process hears a
change committed on another (two processes on one store), and `serve --workers 2 --broker`
pokes every worker's subscribers while one job runner leads."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.jobs.lease import LEASE_KEY
from backend.storage.tables import Table
from harness.accounts import sign_up_blocking
from harness.shared_store import TODO, SharedStore, poke_stream
from tests.jobs.due_session import seed_due_session

# Generous bounds that only a lost poke or a lost reminder reaches (the poll is 60 s away).
POKE_WAIT = 30.0
REMINDER_WAIT = 120.0


@pytest.fixture
def shared(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> SharedStore:
    dynamodb = request.getfixturevalue("servers_dynamodb") if engine_name == "dynamodb" else None
    return SharedStore(tmp_path, dynamodb)


async def create_todo(url: str, token: str) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        answer = await http.post(
            f"{url}/graphql",
            json={"query": TODO, "variables": {"i": {"text": f"t {uuid.uuid4().hex[:6]}"}}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert not answer.json().get("errors"), answer.text


async def test_a_change_on_one_process_pokes_a_device_on_the_other(
    shared: SharedStore, server_process: Any, redis_server: Any
) -> None:
    first = shared.start(server_process, "--broker", redis_server.url)
    second = shared.start(server_process, "--broker", redis_server.url)
    ann = sign_up_blocking(first.url)
    async with (
        poke_stream(second.url, ann.token) as there,
        poke_stream(first.url, ann.token) as here,
    ):
        started = time.monotonic()
        await create_todo(first.url, ann.token)
        assert await asyncio.wait_for(there.__anext__(), POKE_WAIT) == {"syncPoke": 2}
        print(f"poke across processes after {1000 * (time.monotonic() - started):.0f} ms")
        assert await asyncio.wait_for(here.__anext__(), POKE_WAIT) == {"syncPoke": 2}
    first.stop()
    second.stop()


async def test_workers_poke_each_others_devices_and_one_sends_the_reminder(
    shared: SharedStore, server_process: Any, redis_server: Any
) -> None:
    store = shared.engine()
    await seed_due_session(store)
    server = shared.start(server_process, "--workers", "2", "--broker", redis_server.url)
    ann = sign_up_blocking(server.url)
    # Four connections: the workers' accept queue spreads them, so both workers hold some.
    streams = [poke_stream(server.url, ann.token) for _ in range(4)]
    opened = [await s.__aenter__() for s in streams]
    try:
        await create_todo(server.url, ann.token)
        for stream in opened:
            assert await asyncio.wait_for(stream.__anext__(), POKE_WAIT) == {"syncPoke": 2}
    finally:
        for s in streams:
            await s.__aexit__(None, None, None)
    give_up = time.monotonic() + REMINDER_WAIT
    while not (await store.query(Table.NOTIFICATIONS, "ana")).items:
        assert time.monotonic() < give_up, "no reminder was sent"
        await asyncio.sleep(0.2)
    await asyncio.sleep(2.0)  # the other worker's first tick has passed by now
    for person in ("maya", "ana"):
        assert len((await store.query(Table.NOTIFICATIONS, person)).items) == 1, person
    lease = await store.get(Table.SYNC_STATE, LEASE_KEY)
    assert lease is not None and str(lease["holder"]).startswith("process-")
    server.stop()
    await store.close()
