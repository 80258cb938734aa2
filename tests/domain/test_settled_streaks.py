"""The settled summary gives the same streaks and rate as reading every completion."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.habits import HabitFrequency, period_of
from domain.settled_streaks import (
    Settled,
    completed_periods,
    settle,
    settled_until,
    streaks,
)
from domain.streaks import habit_stats

START = date(2025, 1, 6)  # a Monday
HISTORY = 150  # days of completions stored before the first write


def incremental(
    settled: Settled | None,
    done: dict[date, date],
    *,
    created_on: date,
    today: date,
    frequency: str,
):
    """What the write path does: move the summary forward (or build it), then add the rest."""
    until = settled_until(today, frequency)
    first = period_of(created_on, frequency)
    periods = completed_periods(done.values(), today=today, frequency=frequency)
    if settled is None or not settled.serves(frequency=frequency, first=first, until=until):
        settled = settle(periods, frequency=frequency, first=first, until=until)
    else:
        recent_only = {p for p in periods if p >= settled.until}
        settled = settle(recent_only, frequency=frequency, first=first, until=until, since=settled)
    return settled, streaks(settled, periods, created_on=created_on, today=today)


@settings(max_examples=300, deadline=None)
@given(
    frequency=st.sampled_from([HabitFrequency.DAILY, HabitFrequency.WEEKLY]),
    created_after=st.integers(0, 60),
    history=st.sets(st.integers(0, HISTORY - 1), max_size=HISTORY),
    writes=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 7), st.booleans()), min_size=1, max_size=40
    ),
)
def test_every_write_gives_the_figures_of_the_whole_history(
    frequency, created_after, history, writes
):
    created_on = START + timedelta(days=created_after)
    done: dict[date, date] = {}  # period -> the day it was done (one completion per period)
    for offset in sorted(history):
        day = START + timedelta(days=offset)
        done.setdefault(period_of(day, frequency), day)
    today = START + timedelta(days=HISTORY)
    settled: Settled | None = None
    for advance, back, complete in writes:
        today += timedelta(days=advance)
        day = today - timedelta(days=back)
        if complete:
            done.setdefault(period_of(day, frequency), day)
        else:
            done.pop(period_of(day, frequency), None)
        settled, got = incremental(
            settled, done, created_on=created_on, today=today, frequency=frequency
        )
        full = habit_stats(done.values(), created_on=created_on, today=today, frequency=frequency)
        assert got == full


def test_a_streak_older_than_the_window_carries_into_today():
    today = date(2026, 11, 24)
    days = [today - timedelta(days=n) for n in range(400)]  # every day for 400 days
    periods = completed_periods(days, today=today, frequency="daily")
    until = settled_until(today, "daily")
    settled = settle(periods, frequency="daily", first=days[-1], until=until)
    assert settled.tail == settled.longest == settled.done == (until - days[-1]).days
    got = streaks(settled, periods, created_on=days[-1], today=today)
    assert (got.current_streak, got.longest_streak, got.completion_rate, got.total_completions) == (
        400,
        400,
        100.0,
        400,
    )


def test_the_stored_summary_reads_back_and_a_foreign_one_is_ignored():
    settled = settle(
        {date(2026, 1, 5)}, frequency="weekly", first=date(2026, 1, 5), until=date(2026, 3, 2)
    )
    assert Settled.from_item(settled.as_item()) == settled
    assert Settled.from_item(None) is None
    assert Settled.from_item({"frequency": "daily", "until": "not a day"}) is None


def test_a_changed_frequency_or_a_today_gone_back_needs_a_rebuild():
    settled = settle(set(), frequency="daily", first=date(2026, 1, 1), until=date(2026, 3, 1))
    assert settled.serves(frequency="daily", first=date(2026, 1, 1), until=date(2026, 3, 1))
    assert not settled.serves(frequency="weekly", first=date(2026, 1, 1), until=date(2026, 3, 1))
    assert not settled.serves(frequency="daily", first=date(2026, 1, 2), until=date(2026, 3, 1))
    assert not settled.serves(frequency="daily", first=date(2026, 1, 1), until=date(2026, 2, 28))


@settings(max_examples=200, deadline=None)
@given(
    frequency=st.sampled_from([HabitFrequency.DAILY, HabitFrequency.WEEKLY]),
    created_after=st.integers(0, 60),
    history=st.sets(st.integers(0, HISTORY - 1), max_size=HISTORY),
    idle=st.integers(0, 40),
)
def test_reading_later_without_a_write_gives_the_figures_of_the_whole_history(
    frequency, created_after, history, idle
):
    """The read path: days pass after the last write; the summary still holds (its cutoff is
    not after the later one) and, with the periods from its cutoff on, gives every figure."""
    created_on = START + timedelta(days=created_after)
    done = {
        period_of(START + timedelta(days=n), frequency): START + timedelta(days=n) for n in history
    }
    written = START + timedelta(days=HISTORY)
    settled, _ = incremental(None, done, created_on=created_on, today=written, frequency=frequency)
    later = written + timedelta(days=idle)
    first = period_of(created_on, frequency)
    assert settled.serves(frequency=frequency, first=first, until=settled_until(later, frequency))
    recent = completed_periods(
        [day for day in done.values() if day >= settled.until], today=later, frequency=frequency
    )
    got = streaks(settled, recent, created_on=created_on, today=later)
    full = habit_stats(done.values(), created_on=created_on, today=later, frequency=frequency)
    assert got == full
