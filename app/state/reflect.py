"""Reflections on the device: today's entry, the weekly review on Sundays, sharing with a
mentor, the history with feedback, and the mood and completion trends.

Everything is read from and written to the local store, so the screen works offline; a saved
reflection is queued for the server like any other change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.clock import parse_local_date
from domain.errors import RuleViolation
from domain.reflections import (
    Mood,
    is_weekly_reflection_day,
    parse_mood,
    validate_daily_reflection,
    validate_weekly_reflection,
)
from domain.trends import completions_per_week, mood_trend
from sync import Entity

from .context import UserContext

TREND_WINDOWS = (30, 90)
"""The mood chart's choices, in days."""
WEEKS_SHOWN = 12
"""Completions per week: the last twelve ISO weeks (about a quarter)."""
MENTOR_FALLBACK_NAME = "Your mentor"
"""Shown while a mentor's public profile has not reached the device yet."""


@dataclass(frozen=True)
class Mentor:
    """Someone the user may share a reflection with: a mentor of their goals or sessions."""

    user_id: str
    name: str


@dataclass(frozen=True)
class WeeklyAnswers:
    """The Sunday review (the spec's ``ReflectionContent``)."""

    went_well: str = ""
    felt_hard: str = ""
    insights: str = ""
    gratitude: tuple[str, ...] = ()

    def content(self) -> dict[str, Any]:
        """The wire's ``content`` map; blank gratitude lines are dropped."""
        return {
            "whatWentWell": self.went_well.strip(),
            "whatFeltHard": self.felt_hard.strip(),
            "insights": self.insights.strip(),
            "gratitude": [g.strip() for g in self.gratitude if g.strip()],
        }


@dataclass(frozen=True)
class Feedback:
    mentor_name: str
    text: str
    day: dt.date | None


@dataclass(frozen=True)
class Reflection:
    """One day's reflection as the screen shows it."""

    day: dt.date
    mood: Mood
    text: str
    weekly: WeeklyAnswers | None
    shared_with: Mentor | None
    feedback: Feedback | None
    ai_insights: str
    pending: bool


@dataclass(frozen=True)
class ReflectModel:
    today: dt.date
    weekly_day: bool
    """Today is Sunday in the user's zone: the weekly form is offered."""
    todays: Reflection | None
    mentors: tuple[Mentor, ...]
    history: tuple[Reflection, ...]
    """Every reflection before today, newest first."""
    trend_days: int
    mood_trend: tuple[tuple[dt.date, int], ...]
    """(day, 1-5) for the days with a mood in the window, oldest first."""
    weekly_completions: tuple[tuple[dt.date, int], ...]
    """(Monday, habit completions) for the last ``WEEKS_SHOWN`` weeks, oldest first."""


@dataclass(frozen=True)
class ReflectionDraft:
    """What the form holds when the user taps save."""

    mood: str | None
    text: str = ""
    weekly: WeeklyAnswers | None = None
    share: bool = False
    mentor_id: str | None = None


def load_reflect(user: UserContext, *, trend_days: int = TREND_WINDOWS[0]) -> ReflectModel:
    """The screen's model from the local store (no network)."""
    today = user.today()
    mentors = mentors_of(user)
    names = {m.user_id: m for m in mentors}
    rows = user.store.query(Entity.REFLECTION, userId=user.user_id)
    reflections = [r for r in (_reflection(row, names, user) for row in rows) if r is not None]
    reflections.sort(key=lambda r: r.day, reverse=True)
    todays = next((r for r in reflections if r.day == today), None)
    trend = mood_trend(((r.day, r.mood.value) for r in reflections), today=today, days=trend_days)
    return ReflectModel(
        today=today,
        weekly_day=is_weekly_reflection_day(today),
        todays=todays,
        mentors=mentors,
        history=tuple(r for r in reflections if r.day < today),
        trend_days=trend_days,
        mood_trend=tuple(trend),
        weekly_completions=tuple(
            completions_per_week(_days_done(user), today=today, weeks=WEEKS_SHOWN)
        ),
    )


def mentors_of(user: UserContext) -> tuple[Mentor, ...]:
    """The mentors of the user's goals and sessions, by name; their public profiles are
    synced to the device, so this works offline."""
    ids: set[str] = set()
    for goal in user.store.query(Entity.GOAL, userId=user.user_id):
        if goal.get("mentorId") and goal.get("status") != "archived":
            ids.add(str(goal["mentorId"]))
    for session in user.store.query(Entity.SESSION, menteeId=user.user_id):
        if session.get("mentorId"):
            ids.add(str(session["mentorId"]))
    ids.discard(user.user_id)
    found = [Mentor(i, _name_of(user, i)) for i in ids]
    return tuple(sorted(found, key=lambda m: (m.name.casefold(), m.user_id)))


def save_reflection(user: UserContext, draft: ReflectionDraft) -> dict[str, Any]:
    """Queue today's reflection (created, or changed in place). Every rule is checked first,
    so a refused draft writes nothing: a mood for a new entry, the text's length, the weekly
    review only on Sundays and with its questions answered, a mentor to share with."""
    today = user.today()
    text = draft.text.strip()
    validate_daily_reflection(d=today, today=today, mood_score=None, text=text)
    mood = parse_mood(draft.mood).value if draft.mood is not None else None
    content = None
    if draft.weekly is not None:
        content = draft.weekly.content()
        validate_weekly_reflection(d=today, today=today, content=content)
    mentor_id = _share_target(user, draft) if draft.share else None
    existing = user.store.get(
        Entity.REFLECTION, {"userId": user.user_id, "date": today.isoformat()}
    )
    if existing is None and mood is None:
        raise RuleViolation("choose how you feel today", field="mood")
    return user.store.write_reflection(
        today,
        mood,
        text=text if text or existing is not None else None,
        content=content,
        is_shared=draft.share,
        shared_with_mentor_id=mentor_id,
    )


def _share_target(user: UserContext, draft: ReflectionDraft) -> str:
    mentors = mentors_of(user)
    if draft.mentor_id is not None:
        if draft.mentor_id not in {m.user_id for m in mentors}:
            raise RuleViolation("you can share only with a mentor of yours", field="mentorId")
        return draft.mentor_id
    if len(mentors) == 1:
        return mentors[0].user_id
    if not mentors:
        raise RuleViolation("you have no mentor to share with yet", field="mentorId")
    raise RuleViolation("choose the mentor to share with", field="mentorId")


def _reflection(
    row: Mapping[str, Any], mentors: Mapping[str, Mentor], user: UserContext
) -> Reflection | None:
    try:
        day = parse_local_date(row.get("date"), "date")
        mood = parse_mood(row.get("mood"))
    except RuleViolation:
        return None  # not something the screen can show; the server's copy will fix it
    shared_id = row.get("sharedWithMentorId")
    shared = None
    if row.get("isShared") and isinstance(shared_id, str) and shared_id:
        shared = mentors.get(shared_id) or Mentor(shared_id, _name_of(user, shared_id))
    return Reflection(
        day=day,
        mood=mood,
        text=str(row.get("text") or ""),
        weekly=_weekly(row.get("content")),
        shared_with=shared,
        feedback=_feedback(row.get("mentorFeedback"), mentors, user),
        ai_insights=str(row.get("aiInsights") or ""),
        pending=bool(row.get("_pending")),
    )


def _weekly(content: object) -> WeeklyAnswers | None:
    if not isinstance(content, Mapping):
        return None
    gratitude = content.get("gratitude") or []
    return WeeklyAnswers(
        went_well=str(content.get("whatWentWell") or ""),
        felt_hard=str(content.get("whatFeltHard") or ""),
        insights=str(content.get("insights") or ""),
        gratitude=tuple(str(g) for g in gratitude) if isinstance(gratitude, list) else (),
    )


def _feedback(value: object, mentors: Mapping[str, Mentor], user: UserContext) -> Feedback | None:
    if not isinstance(value, Mapping) or not value.get("feedback"):
        return None
    mentor_id = str(value.get("mentorId") or "")
    known = mentors.get(mentor_id)
    created = str(value.get("createdAt") or "")
    try:
        day = dt.date.fromisoformat(created[:10]) if created else None
    except ValueError:
        day = None
    name = known.name if known else _name_of(user, mentor_id)
    return Feedback(mentor_name=name, text=str(value["feedback"]), day=day)


def _name_of(user: UserContext, user_id: str) -> str:
    profile = user.store.get(Entity.USER, {"userId": user_id}) if user_id else None
    name = profile.get("name") if profile else None
    return str(name) if name else MENTOR_FALLBACK_NAME


def _days_done(user: UserContext) -> list[dt.date]:
    days = []
    for row in user.store.query(Entity.HABIT_COMPLETION, userId=user.user_id, completed=True):
        try:
            days.append(parse_local_date(row.get("completedOn") or row.get("date"), "date"))
        except RuleViolation:
            continue
    return days
