"""Fault-test fixtures: the real server on each storage engine, a ``FaultProxy`` in front of
it, and devices that reach the server only through the proxy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.proxy import FaultProxy
from tests.sync.real_server import Device


@pytest.fixture(scope="session")
def server(
    engine_name: str, tmp_path_factory: pytest.TempPathFactory, server_process: Any, request: Any
) -> Iterator[Any]:
    """``growlink-server serve`` on SQLite or on DynamoDB Local; tests restart it at will.
    One per engine for all the fault modules (each test signs up its own user): starting
    one on DynamoDB costs seconds."""
    dynamodb = request.getfixturevalue("servers_dynamodb") if engine_name == "dynamodb" else None
    process = server_process(tmp_path_factory.mktemp("server") / "server.db", dynamodb=dynamodb)
    yield process
    process.stop()


@pytest.fixture
def proxy(server: Any) -> Iterator[FaultProxy]:
    if not server.running:
        server.start()
    faulty = FaultProxy(server.url, restart_server=server.restart)
    yield faulty
    faulty.close()


DeviceFactory = Callable[..., Awaitable[Device]]


@pytest.fixture
async def devices(tmp_path: Path, proxy: FaultProxy) -> AsyncIterator[DeviceFactory]:
    """``await devices(email, name)``: a device signed in through the proxy (no pokes:
    tests decide when each device syncs). ``like=other``: signed in with ``other``'s session
    instead (the same user; it saves the server a password check, ~0.25 s each)."""
    made: list[Device] = []

    async def make(email: str, name: str, *, like: Device | None = None, **options: Any) -> Device:
        options.setdefault("poke", False)
        device = Device(tmp_path / f"{name}.db", proxy.url, **options)
        made.append(device)
        return device.sign_in_like(like) if like else await device.sign_in(email)

    yield make
    for device in made:
        await device.close()
