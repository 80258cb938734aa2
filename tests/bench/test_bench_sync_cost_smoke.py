"""``bench/sync_cost.py`` at smoke size: 4 devices whose users hold two days of history,
one round of each kind of write. Every figure is measured and positive; the history
arrives whole in each initial sync. Timings and their growth belong to the benchmark."""

from __future__ import annotations

from pathlib import Path

from bench.sync_cost import KINDS, measure
from bench.user_history import ITEMS_PER_DAY


async def test_a_small_run_measures_every_kind_of_request(tmp_path: Path) -> None:
    cost = await measure(
        tmp_path, engine="sqlite", devices=4, history=2 * ITEMS_PER_DAY, rounds=1, concurrency=2
    )
    assert cost.initial_items >= 2 * ITEMS_PER_DAY  # plus the goal, habits and profile
    assert cost.initial_ms > 0
    for kind in KINDS:
        assert cost.push_ms[kind] > 0 and cost.pull_ms[kind] > 0
        assert cost.changes_per_pull[kind] >= 1  # the other device's write arrived
