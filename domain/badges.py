"""Which badges a user has earned, from counts the background job gathers.

Every award has a stable `key` (e.g. "streak:7"); the job stores it with the badge and
passes the stored keys back to `badges_to_award`, so each badge is awarded once even when
the job runs again or the device and the server both evaluate it.

Readings of the spec decided here:
* Streak badges (7/14/30/100) are for day streaks: pass the longest streak of a daily habit.
* Consistency ("30 days of habit completion >= 80%"): the input is one ratio per day for the
  last 30 days, each the share of the user's daily habits completed that day (0.0-1.0).
  The badge needs a full 30 days of data and a mean ratio of at least 0.8, so one bad day
  can be made up by the others.
* Reflection badges at 4 and 12 weekly reflections (about one and three months).
* Session badges at 1, 10 and 50 completed sessions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.rounding import to_decimal

STREAK_THRESHOLDS = (7, 14, 30, 100)
REFLECTION_THRESHOLDS = (4, 12)
SESSION_THRESHOLDS = (1, 10, 50)
CONSISTENCY_DAYS = 30
CONSISTENCY_MIN_RATIO = Decimal("0.8")


class BadgeType(StrEnum):
    CONSISTENCY = "consistency"
    REFLECTION = "reflection"
    IDENTITY_BUILDER = "identity_builder"
    STREAK = "streak"
    MILESTONE = "milestone"
    SESSION_COMPLETION = "session_completion"
    MENTOR_VERIFIED = "mentor_verified"


@dataclass(frozen=True)
class BadgeAward:
    """A badge to store; `key` identifies it across runs so it is never awarded twice."""

    type: BadgeType
    key: str
    title: str
    description: str
    icon: str
    metadata: dict[str, int | float | str] = field(default_factory=dict, hash=False)


def _require_count(count: int, name: str) -> None:
    if count < 0:
        raise ValueError(f"{name} cannot be negative, got {count}")


def streak_badges(longest_streak: int) -> list[BadgeAward]:
    """A badge for every day-streak threshold (7, 14, 30, 100) reached."""
    _require_count(longest_streak, "longest_streak")
    return [
        BadgeAward(
            type=BadgeType.STREAK,
            key=f"streak:{days}",
            title=f"{days}-day streak",
            description=f"Kept a habit {days} days in a row.",
            icon="flame",
            metadata={"threshold": days},
        )
        for days in STREAK_THRESHOLDS
        if longest_streak >= days
    ]


def daily_completion_ratios(
    daily_habits: Iterable[tuple[str, date]],
    completed: Collection[tuple[str, date]],
    last_day: date,
    days: int = CONSISTENCY_DAYS,
) -> list[float] | None:
    """Per day of the ``days`` ending on ``last_day``, oldest first: the share of the daily
    habits that existed that day (``(habitId, local creation day)``) which were completed
    (``(habitId, local day)`` in ``completed``).

    ``None`` when some day had no daily habit yet: there are not ``days`` days of data.
    """
    habits = list(daily_habits)
    ratios: list[float] = []
    for offset in range(days - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        expected = [habit_id for habit_id, created in habits if created <= day]
        if not expected:
            return None
        ratios.append(sum((habit_id, day) in completed for habit_id in expected) / len(expected))
    return ratios


def consistency_badge(daily_completion_ratios: Sequence[float]) -> BadgeAward | None:
    """The consistency badge, given one completion ratio (0.0-1.0) per day, oldest first.

    Only the last 30 entries are read; fewer than 30 days of data earn nothing yet.
    """
    for ratio in daily_completion_ratios:
        if not 0 <= ratio <= 1:
            raise ValueError(f"a daily completion ratio is 0.0 to 1.0, got {ratio}")
    window = daily_completion_ratios[-CONSISTENCY_DAYS:]
    if len(window) < CONSISTENCY_DAYS:
        return None
    total = sum((to_decimal(ratio) for ratio in window), Decimal(0))
    if total < CONSISTENCY_MIN_RATIO * CONSISTENCY_DAYS:
        return None
    return BadgeAward(
        type=BadgeType.CONSISTENCY,
        key=f"consistency:{CONSISTENCY_DAYS}d",
        title="Consistent",
        description="Completed at least 80% of your habits over 30 days.",
        icon="calendar-check",
        metadata={"days": CONSISTENCY_DAYS, "meanRatio": float(total / CONSISTENCY_DAYS)},
    )


def identity_builder_badge(completed_goal_count: int) -> BadgeAward | None:
    """Awarded for completing the first identity-based goal."""
    _require_count(completed_goal_count, "completed_goal_count")
    if completed_goal_count < 1:
        return None
    return BadgeAward(
        type=BadgeType.IDENTITY_BUILDER,
        key="identity_builder",
        title="Identity builder",
        description="Completed your first identity-based goal.",
        icon="id-badge",
    )


def reflection_badges(weekly_reflection_count: int) -> list[BadgeAward]:
    """A badge for every weekly-reflection threshold (4, 12) reached."""
    _require_count(weekly_reflection_count, "weekly_reflection_count")
    return [
        BadgeAward(
            type=BadgeType.REFLECTION,
            key=f"reflection:{count}",
            title=f"{count} weekly reflections",
            description=f"Wrote {count} weekly reflections.",
            icon="book-open",
            metadata={"threshold": count},
        )
        for count in REFLECTION_THRESHOLDS
        if weekly_reflection_count >= count
    ]


def session_badges(total_sessions: int) -> list[BadgeAward]:
    """A badge for every completed-session threshold (1, 10, 50) reached."""
    _require_count(total_sessions, "total_sessions")
    return [
        BadgeAward(
            type=BadgeType.SESSION_COMPLETION,
            key=f"session_completion:{count}",
            title="First session" if count == 1 else f"{count} sessions",
            description=f"Completed {count} mentorship session{'s' if count > 1 else ''}.",
            icon="handshake",
            metadata={"threshold": count},
        )
        for count in SESSION_THRESHOLDS
        if total_sessions >= count
    ]


def mentor_verified_badge(verified: bool) -> BadgeAward | None:
    """Awarded when an admin verifies the user."""
    if not verified:
        return None
    return BadgeAward(
        type=BadgeType.MENTOR_VERIFIED,
        key="mentor_verified",
        title="Verified mentor",
        description="Verified by the Growlink team.",
        icon="shield-check",
    )


def badges_to_award(
    already_awarded_keys: set[str], *candidates: BadgeAward | Iterable[BadgeAward] | None
) -> list[BadgeAward]:
    """The candidates not awarded yet, each key once, in the order given.

    Accepts the results of the functions above as they are: single awards, lists, or None.
    """
    seen = set(already_awarded_keys)
    awards: list[BadgeAward] = []
    for candidate in candidates:
        if candidate is None:
            continue
        group = [candidate] if isinstance(candidate, BadgeAward) else candidate
        for award in group:
            if award.key not in seen:
                seen.add(award.key)
                awards.append(award)
    return awards
