"""Weekly insights from a user's own data: honest statistics, each sentence with its numbers.

Pure: the caller gives the daily habits (with their completion days) and the mood scores,
and "today" as the user's local day (the end of the week looked at). The week is the seven
days ending today; "the last four weeks" are the 28 days before it. A habit counts on a day
from the day it was created; only daily habits count (a weekly habit has no weekday).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

WEEK = 7
BASELINE_DAYS = 28
MIN_DAYS_PER_WEEKDAY = 2
"""A weekday with fewer habit-days than this has too little data to be called best or hardest."""
MIN_MOOD_DAYS = 2
SMALLER_HABIT_BELOW = 0.5
MIN_DAYS_TO_JUDGE = 14
STREAK_AT_RISK_FROM = 3
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class HabitRecord:
    name: str
    created_on: date
    done_on: frozenset[date]


@dataclass(frozen=True)
class Tally:
    done: int
    expected: int

    @property
    def rate(self) -> float:
        return self.done / self.expected if self.expected else 0.0

    def percent(self) -> str:
        return f"{round(100 * self.rate)}% ({self.done} of {self.expected})"


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def tally(habits: Iterable[HabitRecord], first: date, last: date) -> Tally:
    """Habit-days done against habit-days due between ``first`` and ``last`` (inclusive)."""
    done = expected = 0
    for habit in habits:
        for day in _days(max(first, habit.created_on), last):
            expected += 1
            done += day in habit.done_on
    return Tally(done, expected)


def weekday_tallies(habits: list[HabitRecord], first: date, last: date) -> dict[int, Tally]:
    by_day: dict[int, list[int]] = {}
    for habit in habits:
        for day in _days(max(first, habit.created_on), last):
            counts = by_day.setdefault(day.weekday(), [0, 0])
            counts[0] += day in habit.done_on
            counts[1] += 1
    return {weekday: Tally(d, e) for weekday, (d, e) in by_day.items()}


def rate_sentence(habits: list[HabitRecord], today: date) -> str | None:
    week_start = today - timedelta(days=WEEK - 1)
    week = tally(habits, week_start, today)
    before = tally(habits, week_start - timedelta(days=BASELINE_DAYS), week_start - timedelta(1))
    if not week.expected:
        return None
    if not before.expected:
        return f"This week you completed {week.percent()} of your habit check-ins."
    diff = round(100 * week.rate) - round(100 * before.rate)
    trend = "up" if diff > 0 else "down" if diff < 0 else "level"
    return (
        f"This week you completed {week.percent()} of your habit check-ins, against "
        f"{before.percent()} over the four weeks before: {trend}"
        + (f" {abs(diff)} points." if diff else ".")
    )


def weekday_sentence(habits: list[HabitRecord], today: date) -> str | None:
    first = today - timedelta(days=WEEK + BASELINE_DAYS - 1)
    tallies = {
        day: t
        for day, t in weekday_tallies(habits, first, today).items()
        if t.expected >= MIN_DAYS_PER_WEEKDAY
    }
    if len(tallies) < 2:
        return None
    best = max(tallies, key=lambda d: (tallies[d].rate, -d))
    hardest = min(tallies, key=lambda d: (tallies[d].rate, d))
    if tallies[best].rate == tallies[hardest].rate:
        return None
    return (
        f"Over the last five weeks your best day was {WEEKDAYS[best]} "
        f"({tallies[best].percent()}) and the hardest {WEEKDAYS[hardest]} "
        f"({tallies[hardest].percent()})."
    )


def mood_sentence(habits: list[HabitRecord], moods: Mapping[date, int], today: date) -> str | None:
    """Average mood on days when at least half the habits were done, against the others."""
    first = today - timedelta(days=WEEK + BASELINE_DAYS - 1)
    good: list[int] = []
    other: list[int] = []
    for day, score in moods.items():
        if not first <= day <= today:
            continue
        day_tally = tally(habits, day, day)
        if not day_tally.expected:
            continue
        (good if day_tally.rate >= 0.5 else other).append(score)
    if len(good) < MIN_MOOD_DAYS or len(other) < MIN_MOOD_DAYS:
        return None
    good_mean, other_mean = sum(good) / len(good), sum(other) / len(other)
    return (
        f"On the {len(good)} days you did at least half your habits your mood averaged "
        f"{good_mean:.1f}, against {other_mean:.1f} on the other {len(other)} days."
    )


def streak_before(habit: HabitRecord, today: date) -> int:
    """Days in a row done, ending yesterday."""
    count, day = 0, today - timedelta(days=1)
    while day in habit.done_on:
        count += 1
        day -= timedelta(days=1)
    return count


def streak_sentences(habits: list[HabitRecord], today: date) -> list[str]:
    out = []
    for habit in habits:
        streak = streak_before(habit, today)
        if streak >= STREAK_AT_RISK_FROM and today not in habit.done_on:
            out.append(
                f"Your {streak}-day streak on “{habit.name}” is at risk: it is not done today yet."
            )
    return out


def smaller_habit_sentence(habits: list[HabitRecord], today: date) -> str | None:
    first = today - timedelta(days=BASELINE_DAYS - 1)
    judged = [(tally([h], first, today), h) for h in habits]
    judged = [(t, h) for t, h in judged if t.expected >= MIN_DAYS_TO_JUDGE]
    if not judged:
        return None
    lowest, habit = min(judged, key=lambda pair: (pair[0].rate, pair[1].name))
    if lowest.rate >= SMALLER_HABIT_BELOW:
        return None
    return (
        f"“{habit.name}” was done on {lowest.percent()} of the last 28 days: a smaller "
        "version (two minutes, or half the amount) may be easier to keep."
    )


def weekly_insights(
    habits: Iterable[HabitRecord], moods: Mapping[date, int], today: date
) -> list[str]:
    """The sentences, most important first; empty when there is nothing to say yet."""
    live = [h for h in habits if h.created_on <= today]
    found = [
        rate_sentence(live, today),
        weekday_sentence(live, today),
        mood_sentence(live, moods, today),
        *streak_sentences(live, today),
        smaller_habit_sentence(live, today),
    ]
    return [sentence for sentence in found if sentence]
