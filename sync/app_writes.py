"""The app's writes in its own words (complete a habit, write today's reflection, ...).

Each builds a ``put`` / ``patch`` of the protocol: client-generated UUIDs for new items, the
spec's natural keys for completions (habitId + the period's first day: weekly habits are
keyed by the Monday of the ISO week, ``domain.habits.period_of``) and reflections (userId +
the user's local date). Only the fields the client owns are sent; the defaults the server
would fill in (a new goal is a ``draft``, a todo is not ``done``) are display-only ``local``
attributes, so the row looks right before the server has answered. Rules the device can
check alone (a habit takes at most 2 minutes, weekly reflections are on Sundays) raise the
domain's ``RuleViolation`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from domain.clock import parse_local_date
from domain.errors import RuleViolation
from domain.habits import parse_frequency, period_of, validate_habit_duration
from domain.reflections import check_weekly_reflection_day, parse_mood

from .entities import Entity


def _present(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _day(value: dt.date | str, field: str) -> str:
    day = value if isinstance(value, dt.date) else parse_local_date(value, field)
    return day.isoformat()


class AppWrites(ABC):
    """Convenience writers on top of the generic ``put`` / ``patch`` / ``get``."""

    @abstractmethod
    def put(
        self,
        entity: Entity | str,
        key: Mapping[str, str],
        fields: Mapping[str, Any],
        *,
        local: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]: ...

    @abstractmethod
    def patch(
        self, entity: Entity | str, key: Mapping[str, str], fields: Mapping[str, Any]
    ) -> dict[str, Any]: ...

    @abstractmethod
    def get(self, entity: Entity | str, key: Mapping[str, str]) -> dict[str, Any] | None: ...

    @abstractmethod
    def now(self) -> str: ...

    @abstractmethod
    def user_id(self) -> str:
        """The signed-in user's id (``NotSignedIn`` without one)."""

    def _new(self) -> dict[str, Any]:
        now = self.now()
        return {"userId": self.user_id(), "createdAt": now, "updatedAt": now}

    # -- goals and habits ---------------------------------------------------------------

    def create_goal(
        self,
        title: str,
        *,
        identity: str | None = None,
        description: str | None = None,
        category: str | None = None,
        due_date: str | None = None,
        mentor_id: str | None = None,
        goal_id: str | None = None,
    ) -> dict[str, Any]:
        fields = _present(
            title=title,
            identity=identity,
            description=description,
            category=category,
            dueDate=due_date,
            mentorId=mentor_id,
        )
        local = {**self._new(), "status": "draft", "mentorApproved": False, "progress": 0}
        return self.put(Entity.GOAL, {"goalId": goal_id or str(uuid.uuid4())}, fields, local=local)

    def create_habit(
        self,
        goal_id: str,
        title: str,
        *,
        frequency: str = "daily",
        duration: int = 2,
        description: str | None = None,
        cue: Mapping[str, str] | None = None,
        reward: str | None = None,
        habit_id: str | None = None,
    ) -> dict[str, Any]:
        validate_habit_duration(duration)
        fields = _present(
            goalId=goal_id,
            title=title,
            description=description,
            frequency=parse_frequency(frequency).value,
            duration=duration,
            cue=dict(cue) if cue else None,
            reward=reward,
        )
        local = {
            **self._new(),
            "status": "active",
            "cue": {},
            "currentStreak": 0,
            "longestStreak": 0,
            "completionRate": 0.0,
        }
        key = {"habitId": habit_id or str(uuid.uuid4())}
        return self.put(Entity.HABIT, key, fields, local=local)

    def _completion_key(
        self, habit_id: str, local_date: dt.date | str
    ) -> tuple[dict[str, str], str]:
        day = _day(local_date, "date")
        habit = self.get(Entity.HABIT, {"habitId": habit_id})
        if habit is None:
            raise LookupError(f"habit {habit_id} is not on this device")
        period = period_of(dt.date.fromisoformat(day), habit.get("frequency", "daily"))
        return {"habitId": habit_id, "date": period.isoformat()}, day

    def complete_habit(
        self,
        habit_id: str,
        local_date: dt.date | str,
        notes: str | None = None,
        evidence: str | None = None,
    ) -> dict[str, Any]:
        """Tick the habit for the period of ``local_date`` (the user's local calendar day)."""
        key, day = self._completion_key(habit_id, local_date)
        fields = {"completed": True, "completedOn": day, **_present(notes=notes, evidence=evidence)}
        if self.get(Entity.HABIT_COMPLETION, key) is None:
            return self.put(Entity.HABIT_COMPLETION, key, fields, local=self._new())
        return self.patch(Entity.HABIT_COMPLETION, key, fields)

    def toggle_habit(self, habit_id: str, local_date: dt.date | str) -> bool:
        """Tick the habit for the period of ``local_date`` if it is not done, else un-tick
        it (a tap decides from what the store holds); returns whether it is done now."""
        key, day = self._completion_key(habit_id, local_date)
        existing = self.get(Entity.HABIT_COMPLETION, key)
        if existing is None:
            fields = {"completed": True, "completedOn": day}
            self.put(Entity.HABIT_COMPLETION, key, fields, local=self._new())
            return True
        done = not existing.get("completed")
        changes: dict[str, Any] = {"completed": done, **({"completedOn": day} if done else {})}
        self.patch(Entity.HABIT_COMPLETION, key, changes)
        return done

    def uncomplete_habit(self, habit_id: str, local_date: dt.date | str) -> dict[str, Any]:
        """Un-tick it; the item stays with ``completed = false`` (as on the server)."""
        key, _ = self._completion_key(habit_id, local_date)
        if self.get(Entity.HABIT_COMPLETION, key) is None:
            raise LookupError(f"habit {habit_id} has no completion for {key['date']}")
        return self.patch(Entity.HABIT_COMPLETION, key, {"completed": False})

    # -- reflections ------------------------------------------------------------------------

    def write_reflection(
        self,
        local_date: dt.date | str,
        mood: str | None = None,
        *,
        text: str | None = None,
        mood_score: int | None = None,
        content: Mapping[str, Any] | None = None,
        goal_id: str | None = None,
        is_shared: bool | None = None,
        shared_with_mentor_id: str | None = None,
    ) -> dict[str, Any]:
        """The user's reflection of their local day: created, or only the given fields changed.
        ``content`` (the weekly questions) makes it the week's reflection: Sundays only."""
        day = _day(local_date, "date")
        if content is not None:
            check_weekly_reflection_day(dt.date.fromisoformat(day))
        fields = _present(
            mood=parse_mood(mood).value if mood is not None else None,
            text=text,
            moodScore=mood_score,
            content=dict(content) if content is not None else None,
            goalId=goal_id,
            isShared=is_shared,
            sharedWithMentorId=shared_with_mentor_id,
        )
        key = {"userId": self.user_id(), "date": day}
        if self.get(Entity.REFLECTION, key) is not None:
            return self.patch(Entity.REFLECTION, key, fields)
        if "mood" not in fields:
            raise RuleViolation("a new reflection needs a mood", field="mood")
        return self.put(Entity.REFLECTION, key, fields, local={**self._new(), "isShared": False})

    # -- todos, notifications, sessions ---------------------------------------------------

    def create_todo(
        self,
        text: str,
        *,
        goal_id: str | None = None,
        due_date: str | None = None,
        priority: str | None = None,
        todo_id: str | None = None,
    ) -> dict[str, Any]:
        fields = _present(text=text, goalId=goal_id, dueDate=due_date, priority=priority)
        key = {"userId": self.user_id(), "todoId": todo_id or str(uuid.uuid4())}
        local = {**self._new(), "done": False, "priority": "medium"}
        return self.put(Entity.TODO, key, fields, local=local)

    def toggle_todo(self, todo_id: str) -> dict[str, Any]:
        key = {"userId": self.user_id(), "todoId": todo_id}
        todo = self.get(Entity.TODO, key)
        if todo is None:
            raise LookupError(f"todo {todo_id} is not on this device")
        return self.patch(Entity.TODO, key, {"done": not todo.get("done", False)})

    def mark_notification_read(self, notification_id: str) -> dict[str, Any]:
        return self.patch(Entity.NOTIFICATION, {"notificationId": notification_id}, {"read": True})

    def request_session(
        self,
        mentor_id: str,
        *,
        type: str,
        date: str,
        time: str,
        duration: int,
        venue_id: str | None = None,
        topic: str | None = None,
        meeting_link: str | None = None,
        session_id: str | None = None,
    ) -> dict[str, Any]:
        """A booking request (``CreateSessionInput``); it shows as PENDING until the server
        confirms the slot or rejects it (then the row disappears and an issue says why)."""
        session_id = session_id or str(uuid.uuid4())
        fields = _present(
            sessionId=session_id,
            mentorId=mentor_id,
            type=type,
            venueId=venue_id,
            date=date,
            time=time,
            duration=duration,
            topic=topic,
            meetingLink=meeting_link,
        )
        local = {
            "menteeId": self.user_id(),
            "status": "PENDING",
            "createdAt": self.now(),
            "updatedAt": self.now(),
        }
        return self.put(Entity.SESSION, {"sessionId": session_id}, fields, local=local)
