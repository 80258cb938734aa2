"""The mentor's side on the device: the mentees, the reflections shared with me, the goals
waiting for my approval, and the two answers a mentor gives offline (a reply, an approval).

Both answers are patches queued in the outbox; the server checks that the writer is the
reflection's or the goal's mentor (``backend/sync/merge_plan.py``) and refuses anything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain import goals as rules
from domain.clock import parse_local_date
from domain.errors import RuleViolation
from domain.goals import GoalStatus
from domain.text import require_text
from protocol.fields import MENTOR_FEEDBACK_FIELD
from sync import Entity

from . import online
from .context import UserContext
from .mentee_progress import MenteeProgress, kept_progress

MENTEE_FALLBACK_NAME = "Your mentee"


@dataclass(frozen=True)
class SharedReflection:
    """A reflection a mentee shared with me; ``reflection_id`` names its controls."""

    reflection_id: str
    mentee_id: str
    mentee_name: str
    day: dt.date
    mood: str
    text: str
    feedback: str
    """My reply, or "" while unanswered."""
    pending: bool
    """My reply is queued and not yet accepted by the server."""

    @property
    def unread(self) -> bool:
        """Not answered yet: what a mentor still has to look at."""
        return not self.feedback


@dataclass(frozen=True)
class WaitingGoal:
    goal_id: str
    mentee_name: str
    title: str
    description: str
    pending: bool


@dataclass(frozen=True)
class Mentee:
    user_id: str
    name: str
    goals: tuple[str, ...]
    """Titles of the goals I mentor for them, active first."""
    progress: int
    """Mean progress of those goals, 0-100, as the server last sent it."""
    current_streak: int
    """The best current streak among their habits, as the server last said."""
    last_check_in: dt.date | None
    as_of: dt.datetime | None = None
    """When the server said so (UTC); None: only what this device holds (no online view)."""


@dataclass(frozen=True)
class MentoringModel:
    feed: tuple[SharedReflection, ...]
    """Newest first."""
    waiting: tuple[WaitingGoal, ...]
    mentees: tuple[Mentee, ...]
    first_sync_done: bool = True
    """False until the device's first pull: an empty screen then means "not fetched yet"."""

    @property
    def unread(self) -> int:
        return sum(1 for item in self.feed if item.unread)


def reflection_id(row: Mapping[str, Any]) -> str:
    """The server's id, or one made of the key while the row has none."""
    return str(row.get("reflectionId") or f"{row['userId']}_{row['date']}")


def _name(user: UserContext, user_id: str) -> str:
    profile = user.store.get(Entity.USER, {"userId": user_id}) or {}
    return str(profile.get("name") or profile.get("username") or MENTEE_FALLBACK_NAME)


def _feedback_text(value: object) -> str:
    if isinstance(value, Mapping):
        return str(value.get("feedback") or "")
    return str(value or "")


def _shared(user: UserContext, row: Mapping[str, Any]) -> SharedReflection | None:
    try:
        day = parse_local_date(row.get("date"), "date")
    except RuleViolation:
        return None
    return SharedReflection(
        reflection_id=reflection_id(row),
        mentee_id=str(row["userId"]),
        mentee_name=_name(user, str(row["userId"])),
        day=day,
        mood=str(row.get("mood") or ""),
        text=str(row.get("text") or ""),
        feedback=_feedback_text(row.get(MENTOR_FEEDBACK_FIELD)),
        pending=bool(row.get("_pending")),
    )


def _feed(user: UserContext) -> tuple[SharedReflection, ...]:
    rows = user.store.query(Entity.REFLECTION, sharedWithMentorId=user.user_id)
    found = [_shared(user, row) for row in rows if row.get("isShared")]
    return tuple(sorted((f for f in found if f), key=lambda f: f.day, reverse=True))


def _my_goals(user: UserContext) -> list[dict[str, Any]]:
    return [
        goal
        for goal in user.store.query(Entity.GOAL, mentorId=user.user_id)
        if goal.get("userId") != user.user_id
    ]


def _last_check_in(user: UserContext, mentee_id: str) -> dt.date | None:
    days = []
    for row in user.store.query(Entity.HABIT_COMPLETION, userId=mentee_id, completed=True):
        try:
            days.append(parse_local_date(row.get("completedOn") or row.get("date"), "date"))
        except RuleViolation:
            continue
    return max(days, default=None)


def _mentee(
    user: UserContext,
    mentee_id: str,
    goals: list[dict[str, Any]],
    online_view: tuple[dt.datetime, MenteeProgress] | None,
) -> Mentee:
    live = [g for g in goals if g.get("status") != GoalStatus.ARCHIVED.value]
    live.sort(key=lambda g: (g.get("status") != GoalStatus.ACTIVE.value, str(g.get("title"))))
    progress = [int(g.get("progress") or 0) for g in live]
    streaks = [
        int(h.get("currentStreak") or 0)
        for h in user.store.query(Entity.HABIT, userId=mentee_id)
        if h.get("status", "active") == "active"
    ]
    titles = tuple(str(g.get("title") or "") for g in live)
    if online_view is not None:
        as_of, seen = online_view
        return Mentee(
            mentee_id,
            _name(user, mentee_id),
            titles,
            seen.progress,
            seen.current_streak,
            seen.last_check_in,
            as_of,
        )
    return Mentee(
        user_id=mentee_id,
        name=_name(user, mentee_id),
        goals=titles,
        progress=round(sum(progress) / len(progress)) if progress else 0,
        current_streak=max(streaks, default=0),
        last_check_in=_last_check_in(user, mentee_id),
    )


def load_mentoring(user: UserContext) -> MentoringModel:
    goals = _my_goals(user)
    waiting = tuple(
        WaitingGoal(
            goal_id=str(g["goalId"]),
            mentee_name=_name(user, str(g.get("userId"))),
            title=str(g.get("title") or ""),
            description=str(g.get("description") or ""),
            pending=bool(g.get("_pending")),
        )
        for g in goals
        if g.get("status") == GoalStatus.PENDING_APPROVAL.value
    )
    feed = _feed(user)
    by_mentee: dict[str, list[dict[str, Any]]] = {}
    for goal in goals:
        by_mentee.setdefault(str(goal.get("userId")), []).append(goal)
    for item in feed:
        by_mentee.setdefault(item.mentee_id, [])
    kept = kept_progress(user)

    def online_view(mentee_id: str) -> tuple[dt.datetime, MenteeProgress] | None:
        seen = kept.mentees.get(mentee_id) if kept else None
        return (kept.fetched_at, seen) if kept and seen else None

    mentees = sorted(
        (
            _mentee(user, mentee_id, rows, online_view(mentee_id))
            for mentee_id, rows in by_mentee.items()
        ),
        key=lambda m: m.name.casefold(),
    )
    return MentoringModel(
        feed=feed,
        waiting=waiting,
        mentees=tuple(mentees),
        first_sync_done=user.store.sync_state().cursor is not None,
    )


def approve_goal(user: UserContext, goal_id: str) -> dict[str, Any]:
    """Approve a goal waiting for me: queued; the server activates it and tells the mentee."""
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    if goal is None:
        raise RuleViolation("no such goal", field="goalId")
    target = rules.approve(
        str(goal.get("status", "")), actor_is_assigned_mentor=goal.get("mentorId") == user.user_id
    )
    return user.store.patch(Entity.GOAL, {"goalId": goal_id}, {"status": target.value})


async def send_back_goal(user: UserContext, goal_id: str, note: str) -> str:
    """Return a waiting goal to its mentee's drafts with a note (online only: raises
    ``online.Unreachable`` offline, and the screen keeps the note). The draft status comes
    back to this device with the next pull."""
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    if goal is None:
        raise RuleViolation("no such goal", field="goalId")
    _, text = rules.send_back(
        str(goal.get("status", "")),
        note,
        actor_is_assigned_mentor=goal.get("mentorId") == user.user_id,
    )
    record = user.store.sync_state()
    if record.server_url is None or record.access_token is None:
        raise online.Unreachable("Sign in again to send a goal back.")
    return await online.return_goal(record.server_url, record.access_token, goal_id, text)


def send_feedback(user: UserContext, item: SharedReflection, text: str) -> dict[str, Any]:
    """Reply to a shared reflection: queued; only its mentor may write this field."""
    reply = require_text(text, field="feedback").strip()
    row = user.store.get(
        Entity.REFLECTION, {"userId": item.mentee_id, "date": item.day.isoformat()}
    )
    if row is None or row.get("sharedWithMentorId") != user.user_id or not row.get("isShared"):
        raise RuleViolation("this reflection is not shared with you", field="reflectionId")
    note = {"mentorId": user.user_id, "feedback": reply, "createdAt": user.store.now()}
    return user.store.patch(
        Entity.REFLECTION,
        {"userId": item.mentee_id, "date": item.day.isoformat()},
        {MENTOR_FEEDBACK_FIELD: note},
    )
