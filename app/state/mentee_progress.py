"""My mentees' progress as the server last told me: goal progress, current streaks and last
check-in, kept on the device with the time they were fetched.

A mentee's habits and check-ins do not travel to her mentor's device (the sync feed carries
only her goals with him), so these figures come from the API when online
(``listGoalsForMentor`` with the goals' habits), on opening Mentoring and after each sync, and
are kept as a device setting: offline, the last ones show, marked with their time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.clock import parse_utc, utc_iso
from domain.goals import GoalStatus

from . import online
from .context import UserContext

KEPT_SETTING = "mentoring.menteeProgress"
REFRESH_AFTER = dt.timedelta(seconds=10)
"""A refresh asked for sooner than this after the last one is skipped (every sync asks)."""


@dataclass(frozen=True)
class MenteeProgress:
    progress: int
    """Mean progress of her live goals with me, 0-100."""
    current_streak: int
    """The best current streak among those goals' active habits."""
    last_check_in: dt.date | None


@dataclass(frozen=True)
class KeptProgress:
    fetched_at: dt.datetime
    """When the server said so (UTC)."""
    mentees: Mapping[str, MenteeProgress]


def summarize(goals: Iterable[Mapping[str, Any]]) -> dict[str, MenteeProgress]:
    """Per mentee, from ``listGoalsForMentor`` goals with ``user``, ``habits`` and their
    ``completions``. Pure."""
    by_mentee: dict[str, list[Mapping[str, Any]]] = {}
    for goal in goals:
        if goal.get("status") == GoalStatus.ARCHIVED.value:
            continue
        by_mentee.setdefault(str((goal.get("user") or {}).get("userId")), []).append(goal)
    summary = {}
    for mentee_id, live in by_mentee.items():
        habits = [h for g in live for h in g.get("habits") or []]
        active = [h for h in habits if h.get("status", "active") == "active"]
        days = [
            dt.date.fromisoformat(str(c["date"]))
            for h in habits
            for c in h.get("completions") or []
            if c.get("completed")
        ]
        summary[mentee_id] = MenteeProgress(
            progress=round(sum(int(g.get("progress") or 0) for g in live) / len(live)),
            current_streak=max((int(h.get("currentStreak") or 0) for h in active), default=0),
            last_check_in=max(days, default=None),
        )
    return summary


def kept_progress(user: UserContext) -> KeptProgress | None:
    """What the last online view fetched, or ``None`` before the first one."""
    kept = user.store.setting(KEPT_SETTING)
    if not isinstance(kept, dict):
        return None
    mentees = {
        mentee_id: MenteeProgress(
            int(item["progress"]),
            int(item["currentStreak"]),
            dt.date.fromisoformat(item["lastCheckIn"]) if item.get("lastCheckIn") else None,
        )
        for mentee_id, item in dict(kept.get("mentees") or {}).items()
    }
    return KeptProgress(parse_utc(str(kept["fetchedAt"])), mentees)


def due_for_refresh(user: UserContext) -> bool:
    kept = kept_progress(user)
    return kept is None or user.clock.now() - kept.fetched_at >= REFRESH_AFTER


async def refresh_progress(user: UserContext) -> KeptProgress:
    """Fetch and keep my mentees' progress (``online.Unreachable`` offline: the kept one
    stays)."""
    goals = await online.signed_in(
        user.store, lambda url, token: online.mentored_goals(url, token, user.user_id)
    )
    summary = summarize(goals)
    fetched_at = user.clock.now()
    user.store.put_setting(
        KEPT_SETTING,
        {
            "fetchedAt": utc_iso(fetched_at),
            "mentees": {
                mentee_id: {
                    "progress": item.progress,
                    "currentStreak": item.current_streak,
                    "lastCheckIn": item.last_check_in.isoformat() if item.last_check_in else None,
                }
                for mentee_id, item in summary.items()
            },
        },
    )
    return KeptProgress(fetched_at, summary)
