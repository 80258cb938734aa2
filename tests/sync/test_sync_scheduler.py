"""When syncs happen: at start, debounced after writes, at once on request, with backoff.

The scheduler's own tests run on virtual time (``on_virtual_time``): they say exactly when
each sync happens, and no sleep takes real time."""

from __future__ import annotations

import asyncio
import threading

import pytest

from sync.scheduler import SyncScheduler
from tests.sync.virtual_time import on_virtual_time


class Runs:
    def __init__(self, results: list[bool] | None = None) -> None:
        self.times: list[float] = []
        self.results = results or []

    async def __call__(self) -> bool:
        self.times.append(asyncio.get_running_loop().time())
        return self.results.pop(0) if self.results else False


@on_virtual_time
async def test_syncs_at_start_then_every_interval():
    runs = Runs()
    scheduler = SyncScheduler(runs, interval=lambda: 0.05)
    start = asyncio.get_running_loop().time()
    scheduler.start()
    await asyncio.sleep(0.18)
    await scheduler.stop()
    assert runs.times == pytest.approx([start, start + 0.05, start + 0.10, start + 0.15])


@on_virtual_time
async def test_a_burst_of_writes_gives_one_sync_after_the_debounce():
    runs = Runs()
    scheduler = SyncScheduler(runs, interval=lambda: 60, debounce=0.05)
    scheduler.start()
    await asyncio.sleep(0.01)
    assert len(runs.times) == 1  # the start
    start = asyncio.get_running_loop().time()
    for _ in range(5):
        scheduler.after_write()
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    await scheduler.stop()
    assert runs.times[1:] == pytest.approx([start + 0.04 + 0.05])  # 50 ms after the LAST write


@on_virtual_time
async def test_continuous_writes_still_sync_by_the_maximum_debounce():
    runs = Runs()
    scheduler = SyncScheduler(runs, interval=lambda: 60, debounce=0.05, max_debounce=0.1)
    start = asyncio.get_running_loop().time()
    scheduler.start()
    await asyncio.sleep(0.01)
    for _ in range(14):  # a write every 30 ms, from 10 ms to 400 ms: never a 50 ms pause
        scheduler.after_write()
        await asyncio.sleep(0.03)
    await scheduler.stop()
    # 100 ms after the first write of each burst (10, 130 and 250 ms); the last burst,
    # begun at 370 ms, is not due before the end (430 ms)
    expected = [start, start + 0.11, start + 0.23, start + 0.35]
    assert runs.times == pytest.approx(expected)


@on_virtual_time
async def test_a_failure_backs_off_and_writes_do_not_hammer_the_server():
    runs = Runs(results=[True, False])
    scheduler = SyncScheduler(runs, interval=lambda: 60, debounce=0.01, rand=lambda: 0.0)
    start = asyncio.get_running_loop().time()
    scheduler.start()
    await asyncio.sleep(0.05)
    assert scheduler.failures == 1 and len(runs.times) == 1
    for _ in range(3):
        scheduler.after_write()
    await asyncio.sleep(0.1)
    assert len(runs.times) == 1  # still within the 1 s backoff
    scheduler.request_now()  # a poke: the server is back
    await asyncio.sleep(0.05)
    await scheduler.stop()
    assert runs.times == pytest.approx([start, start + 0.15]) and scheduler.failures == 0


@on_virtual_time
async def test_writes_from_another_thread_are_handed_to_the_loop():
    runs = Runs()
    scheduler = SyncScheduler(runs, interval=lambda: 60, debounce=0.01)
    scheduler.start()
    await asyncio.sleep(0.01)
    writer = threading.Thread(target=scheduler.request_from_any_thread)
    writer.start()
    writer.join()  # on the loop's thread: the loop's clock cannot move meanwhile
    await asyncio.sleep(0.05)
    await scheduler.stop()
    assert len(runs.times) == 2


@on_virtual_time
async def test_the_engine_syncs_shortly_after_a_local_write(device, server):
    engine = device()
    engine.scheduler._debounce = 0.02
    engine.start()
    await asyncio.sleep(0.05)
    engine.store.create_todo("typed on the train", todo_id="t1")
    await asyncio.sleep(0.1)
    await engine.stop()
    assert [len(r) for r in server.requests] == [1]
    assert engine.store.status().label == "Synced"


@on_virtual_time
async def test_an_unexpected_error_does_not_stop_the_scheduler():
    calls = []

    async def run() -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("a bug")
        return False

    scheduler = SyncScheduler(run, interval=lambda: 60, rand=lambda: 0.0)
    scheduler.start()
    await asyncio.sleep(0.05)
    assert scheduler.running and scheduler.failures == 1
    scheduler.request_now()
    await asyncio.sleep(0.05)
    await scheduler.stop()
    assert len(calls) == 2 and scheduler.failures == 0


def test_the_retry_backoff_is_capped_by_the_setting():
    app = SyncScheduler(Runs(), retry_cap=10, rand=lambda: 1.0)
    default = SyncScheduler(Runs(), rand=lambda: 1.0)
    assert [app.retry_delay(n) for n in (1, 4, 5, 12)] == [1.0, 8.0, 10.0, 10.0]
    assert [default.retry_delay(n) for n in (5, 12)] == [16.0, 60.0]


@on_virtual_time
async def test_a_hold_keeps_every_sync_back_until_it_ends():
    runs = Runs()
    scheduler = SyncScheduler(runs, interval=lambda: 60, debounce=0.01)
    start = asyncio.get_running_loop().time()
    scheduler.start()
    await asyncio.sleep(0.01)
    scheduler.hold(30)  # the server asked to wait 30 s
    scheduler.request_now()  # a poke
    scheduler.after_write()
    await asyncio.sleep(29)
    assert runs.times == [start]
    await asyncio.sleep(2)
    await scheduler.stop()
    assert runs.times == pytest.approx([start, start + 30.01])
