"""The app benchmark's figures: p50 and p95 beside a goal, and the summary printed at the end."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    goal: str
    what: str
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float | None
    """The CPU time of this process, where the figure is one process's work (else None)."""
    goal_ms: float
    p95_in_goal: bool = True
    """Whether the goal holds for p95 too (A1), or only for p50 (the tap, the cold start)."""

    @property
    def ratio(self) -> float:
        return self.p50_ms / self.goal_ms

    @property
    def meets_goal(self) -> bool:
        return self.p50_ms <= self.goal_ms and (not self.p95_in_goal or self.p95_ms <= self.goal_ms)


def percentiles(values_ms: Sequence[float]) -> tuple[float, float]:
    """p50 (the median) and p95 (nearest rank) of ``values_ms``."""
    ordered = sorted(values_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(run: Callable[[], Any], rounds: int) -> tuple[float, float, float]:
    """Wall-clock p50 and p95 of ``rounds`` calls and the CPU-time p50, in ms (after one
    untimed warm-up call). On a busy shared machine the CPU time is the fairer figure."""
    run()
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.thread_time()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return (*percentiles(wall), statistics.median(cpu))


def print_summary(figures: Sequence[Figure]) -> None:
    load = os.getloadavg()[0]
    print(f"\nsummary (load average {load:.1f} on {os.cpu_count()} cores while measuring)")
    for f in figures:
        verdict = "meets goal" if f.meets_goal else "MISSES"
        cpu = f" (CPU time p50 {f.cpu_p50_ms:.1f} ms)" if f.cpu_p50_ms is not None else ""
        goal = f"goal < {f.goal_ms:g} ms" + ("" if f.p95_in_goal else " at p50")
        print(
            f"{f.goal} {f.what}: p50 {f.p50_ms:.1f} ms, p95 {f.p95_ms:.1f} ms{cpu};"
            f" {goal}, ratio {f.ratio:.2f} ({verdict})"
        )
