"""``bench/load.py`` at smoke size: 20 devices (10 users, each with one device on each of two
server processes) writing and syncing on SQLite, pokes through Redis. Every change reaches
the user's other device and no request fails; timings belong to the benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load import run_load


async def test_twenty_devices_on_two_processes_lose_nothing(
    tmp_path: Path, redis_server: Any
) -> None:
    result = await run_load(
        tmp_path,
        engine="sqlite",
        processes=2,
        devices=20,
        seconds=10,
        writes_per_minute=12,
        broker=redis_server.url,
    )
    assert result.tally.errors == []
    assert result.tally.written > 20
    # Each todo was pulled by the writer's other device, timed from the writer's push.
    assert len(result.tally.arrival_ms) == result.tally.written
    assert len(result.server_rss_mb) == 2
    assert result.server_cpu_seconds > 0  # read from /proc for both servers
    assert result.cpu_ms_per_request > 0
