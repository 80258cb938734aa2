"""Typed items at the service boundary: goals, habits, completions, reflections, sessions, todos.

Storage hands out ``Item`` (``dict[str, Any]``); the services' public functions return these
``TypedDict`` views of the same dicts, and the resolvers read them, so strict mypy refuses a
misspelled attribute (``goal["goalID"]``). Keys are ``Required``; every other attribute may be
absent (``None`` is never stored). ``as_*`` only re-types: the write path decides the shape.
"""

from __future__ import annotations

from typing import Any, Required, TypedDict, cast

from ..storage.items import Item


class SystemAttrs(TypedDict, total=False):
    """Set by the write path (``writes.Changes``) on every item."""

    createdAt: str
    updatedAt: str
    _version: int
    _lastChangedAt: str
    _deleted: bool
    _ttl: int
    _clientId: str
    _fieldVersions: dict[str, Any]


class GoalItem(SystemAttrs, total=False):
    goalId: Required[str]
    userId: str
    identity: str
    title: str
    description: str
    category: str
    dueDate: str
    status: str
    mentorId: str
    mentorApproved: bool
    mentorApprovedAt: str


class HabitItem(SystemAttrs, total=False):
    habitId: Required[str]
    goalId: str
    userId: str
    title: str
    description: str
    frequency: str
    duration: int
    cue: dict[str, Any]
    reward: str
    status: str
    currentStreak: int
    longestStreak: int
    completionRate: float


class CompletionItem(SystemAttrs, total=False):
    habitId: Required[str]
    date: Required[str]
    userId: str
    completed: bool
    completedOn: str
    notes: str
    evidence: str


class ReflectionItem(SystemAttrs, total=False):
    userId: Required[str]
    date: Required[str]
    reflectionId: str
    goalId: str
    mood: str
    moodScore: int
    text: str
    content: dict[str, Any]
    isShared: bool
    sharedWithMentorId: str
    mentorFeedback: dict[str, Any]
    aiInsights: str


class SessionItem(SystemAttrs, total=False):
    sessionId: Required[str]
    mentorId: str
    menteeId: str
    type: str
    venueId: str
    date: str
    time: str
    duration: int
    status: str
    price: float
    topic: str
    rating: float
    review: str
    feedbackEligible: bool
    feedbackSubmitted: bool
    feedbackSubmittedAt: str
    notes: str
    meetingLink: str
    cancelReason: str
    cancelledAt: str
    completedAt: str


class TodoItem(SystemAttrs, total=False):
    userId: Required[str]
    todoId: Required[str]
    goalId: str
    text: str
    done: bool
    dueDate: str
    priority: str


def as_goal(item: Item) -> GoalItem:
    return cast(GoalItem, item)


def as_habit(item: Item) -> HabitItem:
    return cast(HabitItem, item)


def as_completion(item: Item) -> CompletionItem:
    return cast(CompletionItem, item)


def as_reflection(item: Item) -> ReflectionItem:
    return cast(ReflectionItem, item)


def as_session(item: Item) -> SessionItem:
    return cast(SessionItem, item)


def as_todo(item: Item) -> TodoItem:
    return cast(TodoItem, item)
