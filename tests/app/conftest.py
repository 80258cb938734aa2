"""App fixtures: a signed-in device file in tmp_path, a movable clock, a page with no client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.state.context import ScreenContext, UserContext
from domain.clock import FixedClock
from sync import DeviceStore
from sync.wire import AuthSession
from tests.app.flet_page import FakePage

USER = "user-ana"
ZONE = "Europe/Lisbon"


@pytest.fixture
def clock() -> FixedClock:
    """Tuesday 24 November 2026, 09:30 in Lisbon."""
    return FixedClock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[DeviceStore]:
    """A device file signed in as USER (no server: writes stay pending)."""
    device = DeviceStore(tmp_path / "device.db", clock=clock)
    device.adopt_session("http://127.0.0.1:9", AuthSession("token", "refresh", USER))
    yield device
    device.close()


@pytest.fixture
def user(store: DeviceStore, clock: FixedClock) -> UserContext:
    return UserContext(store=store, clock=clock, user_id=USER, time_zone=ZONE)


@pytest.fixture
def screen(user: UserContext) -> ScreenContext:
    return ScreenContext(user=user)


@pytest.fixture
async def fake_page() -> FakePage:
    return FakePage()
