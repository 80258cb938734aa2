"""Device fixtures: real SQLite device files in tmp_path, a movable clock, the fake server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.clock import FixedClock
from sync.engine import SyncEngine
from sync.store import DeviceStore
from tests.sync.fake_remote import FakeRemote, FakeServer
from tests.sync.signed_in import USER, signed_in


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


@pytest.fixture
def open_store(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[..., DeviceStore]]:
    """``open_store(name="device")``: a device file under tmp_path, signed in as USER."""
    opened: list[DeviceStore] = []

    def open_(name: str = "device", *, sign_in: bool = True) -> DeviceStore:
        store = DeviceStore(tmp_path / f"{name}.db", clock=clock)
        opened.append(store)
        return signed_in(store) if sign_in else store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[..., DeviceStore]) -> DeviceStore:
    return open_store()


@pytest.fixture
def server() -> FakeServer:
    return FakeServer(user_id=USER)


@pytest.fixture
def device(open_store: Callable[..., DeviceStore], server: FakeServer) -> Callable[..., SyncEngine]:
    """``device(name)``: a store plus an engine talking to the fake server."""

    def make(name: str = "device", **options: object) -> SyncEngine:
        return SyncEngine(open_store(name), FakeRemote(server), **options)  # type: ignore[arg-type]

    return make
