"""The badges the user earned, newest first, with the day (in the user's zone) and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.state.context import UserContext
from domain.clock import local_today, parse_utc
from domain.errors import RuleViolation
from sync import Entity


@dataclass(frozen=True)
class EarnedBadge:
    badge_id: str
    kind: str
    """The badge type (streak, consistency, reflection...), which picks its icon."""
    title: str
    why: str
    earned_on: dt.date | None


def load_badges(user: UserContext) -> tuple[EarnedBadge, ...]:
    rows = user.store.query(Entity.BADGE, userId=user.user_id)
    earned = [
        EarnedBadge(
            badge_id=str(row.get("badgeId") or row.get("earnedAt")),
            kind=str(row.get("type") or ""),
            title=str(row.get("title") or "Badge"),
            why=str(row.get("description") or ""),
            earned_on=_day(row.get("earnedAt"), user.time_zone),
        )
        for row in rows
    ]
    return tuple(
        sorted(earned, key=lambda b: (b.earned_on or dt.date.min, b.badge_id), reverse=True)
    )


def _day(instant: object, time_zone: str) -> dt.date | None:
    try:
        return local_today(parse_utc(instant), time_zone)
    except RuleViolation:
        return None
