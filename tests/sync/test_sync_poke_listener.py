"""The poke listener's reconnects: bounded by its cap, cut short when the engine has just
reached the server (a restarted server must find its open apps listening within seconds)."""

from __future__ import annotations

import asyncio
from typing import Any

from sync import poke
from sync.poke import PokeListener


class RefusedListener(PokeListener):
    """A listener whose server refuses every connection; counts the attempts."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            "http://127.0.0.1:9", token=lambda: None, on_poke=lambda _: None, **options
        )
        self.attempts = 0
        self.attempted = asyncio.Event()

    async def _listen(self) -> None:
        self.attempts += 1
        self.attempted.set()
        raise ConnectionRefusedError("nothing listens here")


async def test_the_reconnect_backoff_is_capped_by_the_listeners_cap(monkeypatch):
    caps: list[float] = []

    def recording(attempt: int, rand: float, *, cap: float) -> float:
        caps.append(cap)
        return 0.0

    monkeypatch.setattr(poke, "backoff_delay", recording)
    listener = RefusedListener(retry_cap=2.0)
    task = asyncio.create_task(listener.run())
    try:
        while listener.attempts < 3:
            await asyncio.sleep(0)
    finally:
        task.cancel()
    assert caps and set(caps) == {2.0}


async def test_wake_reconnects_at_once_instead_of_at_the_backoffs_end(monkeypatch):
    monkeypatch.setattr(poke, "backoff_delay", lambda *_, **__: 3600.0)  # an hour
    listener = RefusedListener()
    task = asyncio.create_task(listener.run())
    try:
        await listener.attempted.wait()
        listener.attempted.clear()
        listener.wake()
        # Without the wake the next attempt is an hour away; the bound only ends a broken run.
        await asyncio.wait_for(listener.attempted.wait(), 30)
        assert listener.attempts == 2
    finally:
        task.cancel()


async def test_a_successful_sync_wakes_a_disconnected_listener(device):
    engine = device(server_url="http://127.0.0.1:9", poke_retry_cap=2.0)
    listener = engine._poke
    assert listener is not None and not listener.connected
    assert listener._retry_cap == 2.0
    assert await engine._scheduled_sync() is False
    assert listener._wake.is_set()


async def test_a_connected_listener_is_left_alone(device):
    engine = device(server_url="http://127.0.0.1:9")
    assert engine._poke is not None
    engine._poke.connected = True
    await engine._scheduled_sync()
    assert not engine._poke._wake.is_set()
