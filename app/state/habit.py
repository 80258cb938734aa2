"""One habit as its detail screen shows it, and the changes the owner makes to it.

Everything is read from the device (offline): the numbers come from the habit's completion
rows through ``domain.streaks`` and ``domain.habit_strength``. Pause, resume, edit and
archive are queued ``HABIT`` patches; "archive" is the spec's ``completed`` status (habits
are never deleted, docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.clock import local_today, parse_utc
from domain.errors import InvalidTransition, RuleViolation
from domain.goals import GoalStatus
from domain.habit_strength import habit_strength
from domain.habits import (
    HabitStatus,
    parse_frequency,
    parse_status,
    pause,
    resume,
    validate_habit_duration,
)
from domain.streaks import completion_rate, current_streak, longest_streak
from domain.text import require_text
from sync import Entity

from .context import UserContext

RATE_WINDOWS = (7, 30, 90)
"""The completion-rate windows the detail screen shows, in days."""

HEATMAP_WEEKS = 53
"""A year of weeks, GitHub style: the last column holds today."""


@dataclass(frozen=True)
class HabitDraft:
    """What the user typed in the habit form (new habit or edit)."""

    title: str
    frequency: str = "daily"
    duration: int = 2
    cue_time: str = ""
    cue_place: str = ""
    cue_context: str = ""
    reward: str = ""

    def checked(self) -> HabitDraft:
        """This draft, or ``RuleViolation`` naming the field that is wrong (2-minute rule)."""
        require_text(self.title, field="title", max_length=200)
        parse_frequency(self.frequency)
        validate_habit_duration(self.duration)
        return self

    def cue(self) -> dict[str, str]:
        parts = {"time": self.cue_time, "place": self.cue_place, "context": self.cue_context}
        return {name: text.strip() for name, text in parts.items() if text.strip()}


def parse_duration(text: str) -> int:
    """The duration field's text as minutes; ``RuleViolation`` when it is not a number."""
    try:
        return int(text.strip())
    except ValueError:
        raise RuleViolation("the duration is a whole number of minutes", field="duration") from None


@dataclass(frozen=True)
class HabitModel:
    habit_id: str
    title: str
    goal_id: str
    goal_title: str
    frequency: str
    duration: int
    status: str
    cue_time: str
    cue_place: str
    cue_context: str
    reward: str
    pending: bool
    today: dt.date
    created_on: dt.date
    current_streak: int
    best_streak: int
    strength: float
    rates: tuple[tuple[int, float], ...]
    """(window in days, completion rate 0-100) for each of ``RATE_WINDOWS``."""
    done_days: frozenset[dt.date]
    total_completions: int

    @property
    def period_word(self) -> str:
        return "week" if self.frequency == "weekly" else "day"

    def draft(self) -> HabitDraft:
        """The habit as an edit form starts."""
        return HabitDraft(
            title=self.title,
            frequency=self.frequency,
            duration=self.duration,
            cue_time=self.cue_time,
            cue_place=self.cue_place,
            cue_context=self.cue_context,
            reward=self.reward,
        )

    def heatmap_weeks(self) -> list[list[dt.date]]:
        """Columns of Monday-to-Sunday days, oldest first, the last holding today."""
        last_monday = self.today - dt.timedelta(days=self.today.weekday())
        first = last_monday - dt.timedelta(weeks=HEATMAP_WEEKS - 1)
        return [
            [first + dt.timedelta(weeks=w, days=d) for d in range(7)] for w in range(HEATMAP_WEEKS)
        ]


def completion_days(user: UserContext, habit_id: str) -> list[dt.date]:
    """The local days the habit was done (a weekly completion's ``completedOn``, not its
    Monday key), as ``domain.streaks`` counts them."""
    rows = user.store.query(Entity.HABIT_COMPLETION, habitId=habit_id)
    return [
        dt.date.fromisoformat(str(row.get("completedOn") or row["date"]))
        for row in rows
        if row.get("completed")
    ]


def created_on(user: UserContext, habit: Mapping[str, Any]) -> dt.date:
    """The user's local day the habit was created (today for a row without a timestamp)."""
    stamp = habit.get("createdAt")
    if not stamp:
        return user.today()
    return local_today(parse_utc(stamp, "createdAt"), user.time_zone)


def load_habit(user: UserContext, habit_id: str) -> HabitModel | None:
    """The habit's detail, or ``None`` when it is not on this device."""
    habit = user.store.get(Entity.HABIT, {"habitId": habit_id})
    if habit is None:
        return None
    goal = user.store.get(Entity.GOAL, {"goalId": str(habit.get("goalId", ""))}) or {}
    today = user.today()
    frequency = parse_frequency(habit.get("frequency", "daily"))
    days = [day for day in completion_days(user, habit_id) if day <= today]
    start = created_on(user, habit)
    rates = tuple(
        (
            window,
            completion_rate(
                days,
                created_on=max(start, today - dt.timedelta(days=window - 1)),
                today=today,
                frequency=frequency,
            ),
        )
        for window in RATE_WINDOWS
    )
    cue = habit.get("cue") or {}
    return HabitModel(
        habit_id=habit_id,
        title=str(habit.get("title", "")),
        goal_id=str(habit.get("goalId", "")),
        goal_title=str(goal.get("title", "")),
        frequency=frequency.value,
        duration=int(habit.get("duration", 2)),
        status=str(habit.get("status", HabitStatus.ACTIVE.value)),
        cue_time=str(cue.get("time", "")),
        cue_place=str(cue.get("place", "")),
        cue_context=str(cue.get("context", "")),
        reward=str(habit.get("reward") or ""),
        pending=bool(habit.get("_pending")),
        today=today,
        created_on=start,
        current_streak=current_streak(days, today=today, frequency=frequency),
        best_streak=longest_streak(days, today=today, frequency=frequency),
        strength=habit_strength(days, created_on=start, today=today, frequency=frequency),
        rates=rates,
        done_days=frozenset(days),
        total_completions=len(days),
    )


# -- actions ----------------------------------------------------------------------------------


def _status_of(user: UserContext, habit_id: str) -> HabitStatus:
    habit = user.store.get(Entity.HABIT, {"habitId": habit_id})
    if habit is None:
        raise LookupError(f"habit {habit_id} is not on this device")
    return parse_status(habit.get("status", HabitStatus.ACTIVE.value))


def _set_status(user: UserContext, habit_id: str, status: HabitStatus) -> dict[str, Any]:
    return user.store.patch(Entity.HABIT, {"habitId": habit_id}, {"status": status.value})


def pause_habit(user: UserContext, habit_id: str) -> dict[str, Any]:
    """Rest the habit: it leaves Today and its streak is not broken by the server's rules."""
    return _set_status(user, habit_id, pause(_status_of(user, habit_id)))


def resume_habit(user: UserContext, habit_id: str) -> dict[str, Any]:
    return _set_status(user, habit_id, resume(_status_of(user, habit_id)))


def archive_habit(user: UserContext, habit_id: str) -> dict[str, Any]:
    """Retire the habit (status ``completed``): its history stays, it is no longer due."""
    status = _status_of(user, habit_id)
    if status is HabitStatus.COMPLETED:
        raise InvalidTransition("habit", status, HabitStatus.COMPLETED, "it is archived already")
    return _set_status(user, habit_id, HabitStatus.COMPLETED)


def edit_habit(user: UserContext, habit_id: str, draft: HabitDraft) -> dict[str, Any]:
    """Change the habit's own fields; a draft breaking the 2-minute rule writes nothing."""
    checked = draft.checked()
    _status_of(user, habit_id)
    fields = {
        "title": checked.title.strip(),
        "frequency": parse_frequency(checked.frequency).value,
        "duration": checked.duration,
        "cue": checked.cue(),
        "reward": checked.reward.strip(),
    }
    return user.store.patch(Entity.HABIT, {"habitId": habit_id}, fields)


def add_habit(user: UserContext, goal_id: str, draft: HabitDraft) -> dict[str, Any]:
    """A new habit under ``goal_id``; checked on the device before anything is written."""
    checked = draft.checked()
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    if goal is None:
        raise LookupError(f"goal {goal_id} is not on this device")
    if goal.get("status") == GoalStatus.ARCHIVED:
        raise RuleViolation("an archived goal is kept as history: no new habits", field="goalId")
    return user.store.create_habit(
        goal_id,
        checked.title.strip(),
        frequency=checked.frequency,
        duration=checked.duration,
        cue=checked.cue() or None,
        reward=checked.reward.strip() or None,
    )
