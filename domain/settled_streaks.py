"""A habit's streaks and completion rate without reading its whole history on every write.

A completion can be written only for the last ``RETROACTIVE_DAYS`` days, so the periods
before a cutoff a little further back can no longer change. They are summarised once
(``Settled``, kept on the habit) and moved forward as days pass; a write then reads only the
completions from the cutoff on. The figures equal ``streaks.habit_stats`` over every
completion (``tests/domain/test_settled_streaks.py`` compares them): a push of one
completion costs the same after four years of history as on the first day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from domain.habits import RETROACTIVE_DAYS, period_of, period_start, period_step
from domain.rounding import percent_of
from domain.streaks import HabitStats, period_count

SETTLE_MARGIN_DAYS = RETROACTIVE_DAYS + 3
"""How far back periods are settled: the retroactive window, and room for a change of the
owner's time zone moving their "today" by a day."""


@dataclass(frozen=True)
class Settled:
    """The completed periods before ``until``, summarised."""

    frequency: str
    first: date
    """The creation period, from which the completion rate counts."""
    until: date
    """The first period not summarised."""
    done: int
    """Completed periods before ``until``."""
    done_since_first: int
    """Of those, the ones from ``first`` on."""
    longest: int
    """The longest run of completed periods before ``until``."""
    tail: int
    """The run ending at the period just before ``until`` (0 if that one was missed)."""

    def as_item(self) -> dict[str, Any]:
        fields = asdict(self)
        return {**fields, "first": self.first.isoformat(), "until": self.until.isoformat()}

    @classmethod
    def from_item(cls, value: object) -> Settled | None:
        """The stored summary, or None when absent or not one this code wrote."""
        if not isinstance(value, Mapping):
            return None
        try:
            return cls(
                frequency=str(value["frequency"]),
                first=date.fromisoformat(str(value["first"])),
                until=date.fromisoformat(str(value["until"])),
                done=int(value["done"]),
                done_since_first=int(value["done_since_first"]),
                longest=int(value["longest"]),
                tail=int(value["tail"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def serves(self, *, frequency: str, first: date, until: date) -> bool:
        """Whether this summary can be moved forward to ``until`` for the habit as it is
        (a changed frequency or creation period, or a "today" gone back, needs a rebuild)."""
        return self.frequency == frequency and self.first == first and self.until <= until


def settled_until(today: date, frequency: str) -> date:
    """The first period that may still change (or is within the margin of one that may)."""
    return period_of(today - timedelta(days=SETTLE_MARGIN_DAYS), frequency)


def completed_periods(days: Iterable[date], *, today: date, frequency: str) -> set[date]:
    """The periods of completion ``days``, days after ``today`` left out (clock skew)."""
    start = period_start(frequency)
    return {start(day) for day in days if day <= today}


def settle(
    periods: Iterable[date],
    *,
    frequency: str,
    first: date,
    until: date,
    since: Settled | None = None,
) -> Settled:
    """The summary up to ``until``: of ``periods`` alone, or ``since``'s moved forward with
    the ``periods`` from ``since.until`` on (earlier ones are already in it)."""
    start = since.until if since is not None else date.min
    folded = sorted(p for p in periods if start <= p < until)
    tail = since.tail if since is not None else 0
    longest, run, expected = _runs(folded, start, tail, period_step(frequency))
    done = len(folded) + (since.done if since is not None else 0)
    since_first = sum(1 for p in folded if p >= first)
    since_first += since.done_since_first if since is not None else 0
    return Settled(
        frequency=frequency,
        first=first,
        until=until,
        done=done,
        done_since_first=since_first,
        longest=max(longest, since.longest if since is not None else 0),
        tail=run if expected == until else 0,
    )


def _runs(ordered: list[date], start: date, tail: int, step: timedelta) -> tuple[int, int, date]:
    """Over ``ordered`` periods (all from ``start`` on), continuing a run of ``tail`` that
    ends just before ``start``: the longest run, the last run, and the period that would
    continue it."""
    longest, run, expected = tail, tail, start
    for period in ordered:
        run = run + 1 if period == expected else 1
        longest = max(longest, run)
        expected = period + step
    return longest, run, expected


def streaks(settled: Settled, recent: set[date], *, created_on: date, today: date) -> HabitStats:
    """The figures of ``streaks.habit_stats`` from the summary and the completed periods
    from ``settled.until`` on (``recent``, none after ``today``)."""
    frequency, until = settled.frequency, settled.until
    step = period_step(frequency)
    ordered = sorted(p for p in recent if p >= until)
    longest, _, _ = _runs(ordered, until, settled.tail, step)
    period = period_of(today, frequency)
    if period not in recent:
        period -= step
    current = 0
    while period >= until and period in recent:
        current += 1
        period -= step
    if period < until:
        current += settled.tail
    total_periods = period_count(created_on, today, frequency)
    done_since_first = settled.done_since_first + sum(1 for p in ordered if p >= settled.first)
    rate = percent_of(done_since_first, total_periods) if total_periods else 0.0
    return HabitStats(
        current_streak=current,
        longest_streak=max(longest, settled.longest),
        completion_rate=rate,
        total_completions=settled.done + len(ordered),
    )
