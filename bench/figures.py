"""Measured figures: each printed in its section and again, beside its floor, target and
verdict, in the summary table at the end of a run."""

from __future__ import annotations

import timeit
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure: printed in its section and again in the summary table."""

    goal: str
    what: str
    value: float
    unit: str  # "ms", "s" or "" for a count
    floor: float | None = None
    target: str = ""
    met: bool | None = None

    def shown(self, value: float | None = None) -> str:
        value = self.value if value is None else value
        if self.unit == "":
            return f"{value:,.0f}"
        return f"{value:,.3f} {self.unit}" if value < 10 else f"{value:,.1f} {self.unit}"

    @property
    def ratio(self) -> str:
        return f"{self.value / self.floor:.1f}x" if self.floor else "-"


def verdict(met: bool | None) -> str:
    return "-" if met is None else ("met" if met else "MISSED")


def print_summary(figures: Sequence[Figure]) -> None:
    print()
    print("summary")
    print(
        f"{'goal':<14}{'figure':<46}{'value':>12}{'floor':>12}{'ratio':>8}  "
        f"{'target':<22}{'verdict'}"
    )
    for f in figures:
        floor = f.shown(f.floor) if f.floor is not None else "-"
        print(
            f"{f.goal:<14}{f.what:<46}{f.shown():>12}{floor:>12}{f.ratio:>8}  "
            f"{f.target:<22}{verdict(f.met)}"
        )


def percentile(values: Sequence[float], q: float) -> float:
    """The value below which a share ``q`` of ``values`` lies (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def host_pace() -> float:
    """Microseconds a fixed piece of pure Python takes here (best of 5). This machine's cores
    are shared with others: the same code runs up to twice as slowly at times, and a latency
    is only read right beside the pace it was measured at."""

    def work() -> int:
        total = 0
        for n in range(20_000):
            total += n * n % 7
        return total

    return min(timeit.repeat(work, number=1, repeat=5)) * 1e6
