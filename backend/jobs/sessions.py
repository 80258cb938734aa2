"""Session jobs: reminders 24 h and 1 h before a confirmed session (to both participants),
a prompt to the mentor when a confirmed session has ended but was never completed, and a
note to the mentee when the feedback window opens.

All read the ``SessionsByStatus`` index for CONFIRMED (or COMPLETED) sessions in a window of
start times, never the whole table.
"""

from __future__ import annotations

from datetime import timedelta

from domain.clock import parse_utc, utc_iso
from domain.reminders import SESSION_REMINDER_LEADS, NotificationType, due_session_reminders
from domain.sessions import (
    FEEDBACK_CLOSES_AFTER,
    SessionStatus,
    feedback_eligible,
    session_ends_at,
)

from ..services.context import Services
from ..services.notify import ReaderText
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item
from ..storage.tables import Table
from .pages import index_items
from .sent import send_once, was_sent

INDEX = "SessionsByStatus"
COMPLETE_PROMPT_KEY = "complete_prompt"
FEEDBACK_OPEN_KEY = "feedback_open"
COMPLETE_PROMPT_LOOKBACK = timedelta(days=7)
"""A session that ended more than a week ago without completion gets no late prompt."""


async def _tell(
    services: Services,
    session: Item,
    key: str,
    recipients: list[str],
    title: str,
    message: str | ReaderText,
) -> int:
    """One session notification under ``key`` (1 if sent now, 0 if it was sent before)."""
    session_id = str(session["sessionId"])
    return await send_once(
        services,
        subject_id=session_id,
        key=key,
        recipients=recipients,
        type=NotificationType.SESSION_REMINDER,
        title=title,
        message=message,
        related_id=session_id,
    )


async def send_session_reminders(services: Services) -> int:
    now = services.clock.now()
    horizon = now + max(SESSION_REMINDER_LEADS.values())
    window = SortKeyCondition.between(utc_iso(now), utc_iso(horizon))
    sent = 0
    async for session in index_items(
        services.store, Table.SESSIONS, INDEX, SessionStatus.CONFIRMED, window
    ):
        session_id = str(session["sessionId"])
        starts_at = parse_utc(session["date"])
        for key in due_session_reminders(starts_at, now=now, already_sent=set()):
            if await was_sent(services, session_id, key):
                continue
            hours = int(SESSION_REMINDER_LEADS[key] / timedelta(hours=1))
            topic = session.get("topic") or "your mentorship session"
            sent += await _tell(
                services,
                session,
                key,
                [str(session["mentorId"]), str(session["menteeId"])],
                f"Session in {hours} hour{'s' if hours != 1 else ''}",
                ReaderText(f"{topic} starts ", starts_at),
            )
    return sent


async def prompt_to_complete(services: Services) -> int:
    now = services.clock.now()
    window = SortKeyCondition.between(utc_iso(now - COMPLETE_PROMPT_LOOKBACK), utc_iso(now))
    sent = 0
    async for session in index_items(
        services.store, Table.SESSIONS, INDEX, SessionStatus.CONFIRMED, window
    ):
        session_id = str(session["sessionId"])
        ends_at = session_ends_at(parse_utc(session["date"]), int(session["duration"]))
        if now < ends_at or await was_sent(services, session_id, COMPLETE_PROMPT_KEY):
            continue
        sent += await _tell(
            services,
            session,
            COMPLETE_PROMPT_KEY,
            [str(session["mentorId"])],
            "How did the session go?",
            "The session has ended: mark it completed (or a no-show) so your mentee can give "
            "feedback.",
        )
    return sent


async def announce_feedback_windows(services: Services) -> int:
    """Tell the mentee when a completed session's feedback window opens (once per session).

    Sessions completed more than the window ago cannot be eligible; the index is read by the
    session's start, which precedes completion, so the window of starts is the feedback window
    plus the lookback a session may have waited for completion.
    """
    now = services.clock.now()
    earliest = now - FEEDBACK_CLOSES_AFTER - COMPLETE_PROMPT_LOOKBACK
    window = SortKeyCondition.ge(utc_iso(earliest))  # a mentor may complete before the start
    sent = 0
    async for session in index_items(
        services.store, Table.SESSIONS, INDEX, SessionStatus.COMPLETED, window
    ):
        session_id = str(session["sessionId"])
        completed_at = session.get("completedAt")
        if (
            completed_at is None
            or session.get("feedbackSubmitted")
            or not feedback_eligible(parse_utc(completed_at), now)
            or await was_sent(services, session_id, FEEDBACK_OPEN_KEY)
        ):
            continue
        closes_at = parse_utc(completed_at) + FEEDBACK_CLOSES_AFTER
        sent += await _tell(
            services,
            session,
            FEEDBACK_OPEN_KEY,
            [str(session["menteeId"])],
            "Your session feedback is open",
            ReaderText(
                "You can tell your mentor what helped, and what to try next, until ", closes_at
            ),
        )
    return sent
