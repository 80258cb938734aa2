"""My sessions on the device: upcoming and past, each with the words for where it stands.

A request booked offline is still in the outbox: "Requested (will send when online)". After the
next sync it is the server's: PENDING until the mentor confirms, or gone with a sync issue that
says why the server refused it (shown here as a declined request with that reason).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from domain.clock import parse_utc
from domain.errors import DomainError, RuleViolation
from domain.feedback import REQUIRED_FEEDBACK_TEXTS, validate_session_feedback
from domain.sessions import SessionStatus, session_starts_at, transition
from domain.text import require_text
from sync import Entity, Issue

from . import online
from .booking import find_mentor, load_venues, quote
from .context import UserContext

QUEUED_WORDS = "Requested (will send when online)"
STATUS_WORDS = {
    SessionStatus.PENDING.value: "Requested, waiting for the mentor",
    SessionStatus.CONFIRMED.value: "Confirmed",
    SessionStatus.COMPLETED.value: "Completed",
    SessionStatus.CANCELLED.value: "Cancelled",
    SessionStatus.NO_SHOW.value: "Missed",
}


@dataclass(frozen=True)
class SessionItem:
    session_id: str
    with_label: str
    """"with Maya Okafor" (the other person, when the device knows their name)."""
    mentor_id: str
    mentee_id: str
    kind: str
    """virtual | in_person"""
    starts_local: dt.datetime
    when_label: str
    """"Thu 26 Nov, 15:00" in the user's zone."""
    duration: int
    status: str
    status_label: str
    price: float | None
    venue_id: str | None
    meeting_link: str | None
    topic: str
    queued: bool
    cancellable: bool
    """The server has it, it has not started and is PENDING or CONFIRMED (the spec's rule)."""
    feedback_open: bool
    """Completed, 24 hours to 7 days ago, mine to rate, and no feedback given yet."""
    confirmable: bool = False
    """A request to me as its mentor, on the server and not started: confirm or decline."""
    venue_name: str | None = None
    """Where an in-person session meets, when the device knows the venue."""
    reviewable: bool = False
    """My latest completed session with this mentor: where I can review him (one review
    per mentor, so only one session offers it)."""


@dataclass(frozen=True)
class Refusal:
    """A booking the server refused: nothing of it is left but this reason and what was asked
    (from the sync issue), until the user dismisses it."""

    session_id: str
    reason: str
    issue_id: str = ""
    asked: str = ""
    """"Fri 11 Dec, 15:00 · In person with Maya Okafor" ("" when the issue kept no data)."""


@dataclass(frozen=True)
class SessionsModel:
    upcoming: tuple[SessionItem, ...]
    """Not yet started and not cancelled, soonest first."""
    past: tuple[SessionItem, ...]
    """Started, or cancelled, latest first."""
    refused: tuple[Refusal, ...]


def _cancellable(status: str, queued: bool, starts: dt.datetime, now: dt.datetime) -> bool:
    if queued or starts <= now:
        return False
    try:
        transition(
            status,
            SessionStatus.CANCELLED,
            actor_is_mentor=False,
            actor_is_mentee=True,
            now=now,
            starts_at=starts,
        )
    except DomainError:
        return False
    return True


def _feedback_open(row: dict[str, Any], me: str, given: bool, now: dt.datetime) -> bool:
    completed = row.get("completedAt")
    try:
        validate_session_feedback(
            actor_is_mentee=row.get("menteeId") == me,
            session_status=str(row.get("status") or ""),
            feedback_submitted=given,
            completed_at=parse_utc(completed) if completed else None,
            now=now,
            rating=5,
            texts=dict.fromkeys(REQUIRED_FEEDBACK_TEXTS, "-"),
        )
    except DomainError:
        return False
    return True


def _with(row: dict[str, Any], user: UserContext) -> str:
    """The other person by name: the mentee's public profile reaches her mentor's device, the
    mentor's the mentee's (or the directory has him)."""
    if row.get("mentorId") == user.user_id:
        mentee = user.store.get(Entity.USER, {"userId": str(row.get("menteeId") or "")})
        name = (mentee or {}).get("name")
        return f"with {name}" if name else "with your mentee"
    mentor_id = str(row.get("mentorId") or "")
    mentor = find_mentor(user, mentor_id)
    if mentor is not None:
        return f"with {mentor.name}"
    profile = user.store.get(Entity.USER, {"userId": mentor_id}) or {}  # public fields only
    return f"with {profile['name']}" if profile.get("name") else "with your mentor"


def _quoted(row: dict[str, Any], user: UserContext) -> float | None:
    """A request still on the device has no price yet: the one the server will charge
    (``domain.pricing`` through ``booking.quote``), when the mentor is known."""
    mentor = find_mentor(user, str(row.get("mentorId") or ""))
    if mentor is None:
        return None
    venue = next((v for v in load_venues(user) if v.venue_id == row.get("venueId")), None)
    try:
        return quote(mentor, str(row.get("type") or ""), venue, int(row.get("duration") or 60))
    except DomainError:
        return None


def _venue_name(user: UserContext, venue_id: str | None) -> str | None:
    venue = user.store.get(Entity.VENUE, {"venueId": venue_id}) if venue_id else None
    return str(venue["name"]) if venue and venue.get("name") else None


def _status_words(status: str, queued: bool, mine_to_answer: bool) -> str:
    if queued and status == SessionStatus.PENDING.value:
        return QUEUED_WORDS
    if mine_to_answer and status == SessionStatus.PENDING.value:
        return "Requested: waiting for your answer"
    return STATUS_WORDS.get(status, status.title())


def _item(row: dict[str, Any], user: UserContext, now: dt.datetime, given: bool) -> SessionItem:
    zone, me = ZoneInfo(user.time_zone), user.user_id
    starts = session_starts_at(str(row["date"]), str(row["time"]))
    local = starts.astimezone(zone)
    queued = bool(row.get("_pending"))
    status = str(row.get("status") or SessionStatus.PENDING.value)
    price = row.get("price")
    if queued and not isinstance(price, int | float):
        price = _quoted(row, user)
    return SessionItem(
        session_id=str(row["sessionId"]),
        with_label=_with(row, user),
        mentor_id=str(row.get("mentorId") or ""),
        mentee_id=str(row.get("menteeId") or ""),
        kind=str(row.get("type") or "virtual"),
        starts_local=local,
        when_label=f"{local:%a %-d %b, %H:%M}",
        duration=int(row.get("duration") or 60),
        status=status,
        status_label=_status_words(status, queued, row.get("mentorId") == me),
        price=float(price) if isinstance(price, int | float) else None,
        venue_id=row.get("venueId"),
        venue_name=_venue_name(user, row.get("venueId")),
        meeting_link=row.get("meetingLink"),
        topic=str(row.get("topic") or ""),
        queued=queued,
        cancellable=_cancellable(status, queued, starts, now),
        feedback_open=_feedback_open(row, me, given, now),
        confirmable=(
            status == SessionStatus.PENDING
            and row.get("mentorId") == me
            and not queued
            and starts > now
        ),
    )


def load_sessions(user: UserContext) -> SessionsModel:
    now = user.clock.now()
    rows = user.store.query(Entity.SESSION)
    mine = [r for r in rows if user.user_id in (r.get("menteeId"), r.get("mentorId"))]
    given = {str(f["sessionId"]) for f in user.store.query(Entity.SESSION_FEEDBACK)}
    items = [_item(row, user, now, str(row["sessionId"]) in given) for row in mine]
    upcoming = sorted(
        (i for i in items if i.starts_local > now and i.status != SessionStatus.CANCELLED),
        key=lambda i: i.starts_local,
    )
    upcoming_ids = {i.session_id for i in upcoming}
    past = sorted(
        (i for i in items if i.session_id not in upcoming_ids),
        key=lambda i: i.starts_local,
        reverse=True,
    )
    past = _offer_reviews(past, user.user_id)
    refused = tuple(
        _refusal(issue, user) for issue in user.store.issues() if issue.entity is Entity.SESSION
    )
    return SessionsModel(tuple(upcoming), tuple(past), refused)


def _offer_reviews(past: list[SessionItem], me: str) -> list[SessionItem]:
    """Mark, per mentor, my latest completed session as the one to review him from."""
    offered: set[str] = set()
    marked = []
    for item in past:  # latest first
        if (
            item.status == SessionStatus.COMPLETED
            and item.mentee_id == me
            and item.mentor_id not in offered
        ):
            offered.add(item.mentor_id)
            item = replace(item, reviewable=True)
        marked.append(item)
    return marked


def _refusal(issue: Issue, user: UserContext) -> Refusal:
    asked = ""
    row = issue.mine or {}
    if row.get("date") and row.get("time"):
        try:
            local = session_starts_at(str(row["date"]), str(row["time"]))
        except DomainError:
            local = None
        if local is not None:
            kind = "In person" if row.get("type") == "in_person" else "Virtual"
            when = f"{local.astimezone(ZoneInfo(user.time_zone)):%a %-d %b, %H:%M}"
            asked = f"{when} · {kind} {_with(row, user)}"
    return Refusal(issue.key.get("sessionId", ""), issue.message, issue.issue_id, asked)


def dismiss_refusal(user: UserContext, refusal: Refusal) -> None:
    """The user has read why: the sync issue is settled (DISMISS, sent with the next sync)."""
    user.store.resolve_issue(refusal.issue_id, "DISMISS")


async def cancel_session(user: UserContext, session_id: str, reason: str | None = None) -> None:
    """Cancel online (``online.Unreachable`` offline: nothing changes); the cancelled session
    comes back to the device with the next pull."""
    await online.signed_in(
        user.store,
        lambda url, token: online.cancel_session(url, token, session_id, reason),
    )


async def confirm_session(user: UserContext, session_id: str) -> None:
    """The mentor accepts a request, online (``online.Unreachable`` offline: nothing
    changes); the mentee is notified by the server."""
    await online.signed_in(
        user.store, lambda url, token: online.confirm_session(url, token, session_id)
    )


@dataclass(frozen=True)
class FeedbackDraft:
    """What the mentee writes after a session; kept by the screen while offline."""

    rating: int = 5
    growth_area: str = ""
    growth_idea: str = ""
    what_went_well: str = ""
    what_to_improve: str = ""
    anonymous: bool = False

    def as_input(self, session_id: str) -> dict[str, Any]:
        """``SessionFeedbackInput``, texts trimmed; the content is checked (``RuleViolation``
        names the field) before anything is sent."""
        texts = {
            "growthArea": self.growth_area.strip(),
            "growthIdea": self.growth_idea.strip(),
            "whatWentWell": self.what_went_well.strip(),
            "whatToImprove": self.what_to_improve.strip(),
        }
        if not 1 <= self.rating <= 5:
            raise RuleViolation("choose 1 to 5 stars", field="rating")
        for name in REQUIRED_FEEDBACK_TEXTS:
            require_text(texts[name], field=name)
        return {
            "sessionId": session_id,
            "rating": self.rating,
            **texts,
            "isAnonymous": self.anonymous,
        }


async def send_feedback(user: UserContext, session_id: str, draft: FeedbackDraft) -> None:
    """Send the feedback (its rating becomes the mentor's review); ``online.Unreachable``
    offline, and the screen keeps the draft."""
    fields = draft.as_input(session_id)
    await online.signed_in(
        user.store, lambda url, token: online.submit_feedback(url, token, fields)
    )
