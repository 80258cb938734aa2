"""Mentorship sessions: booking and reading them (status changes are in ``session_status``).

A session is visible to its mentor and its mentee only; admins may list sessions by status
and by venue. ``date`` is stored as the session's start instant in storage form (UTC, fixed
width), built from the requested day and ``time``, so the ``Sessions*`` indexes sort by the
real start and "upcoming" is a plain range query.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain.clock import parse_utc, utc_iso
from domain.errors import Conflict, RuleViolation
from domain.links import require_http_url
from domain.pricing import session_price, validate_duration
from domain.sessions import (
    SLOT_HOLDING_STATUSES,
    SessionStatus,
    SessionType,
    check_session_in_future,
    check_venue_takes_bookings,
    feedback_eligible,
    session_ends_at,
    session_starts_at,
    validate_session_request,
)
from domain.text import check_text_length

from ..errors import NotFound
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item, ItemView
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .ids import given_or_new_id, is_uuid, require_uuid
from .loaders import is_live
from .notify import ReaderText, notify
from .pages import clamp_limit, query_live
from .records import SessionItem, as_session
from .slots import read_ledger
from .writes import Changes, retrying

MENTOR_ROLES = ("MENTOR", "BOTH")
MAX_TOPIC_LENGTH = 500
Page = tuple[list[Item], str | None]


def starts_at(session: ItemView) -> datetime:
    return parse_utc(session["date"])


def is_feedback_eligible(session: ItemView, now: datetime) -> bool:
    """COMPLETED and inside the feedback window; computed, so it flips without a write."""
    completed_at = session.get("completedAt")
    return (
        session.get("status") == SessionStatus.COMPLETED
        and completed_at is not None
        and feedback_eligible(parse_utc(completed_at), now)
    )


# -- reading ------------------------------------------------------------------------------


async def load_session(ctx: ServiceContext, session_id: str) -> Item | None:
    """A session by id via the request's loader; ``None`` if absent or not a session id."""
    return await ctx.loaders.session.load(session_id) if is_uuid(session_id) else None


async def read_session(ctx: ServiceContext, session_id: str) -> Item:
    """The session as stored now (for a change), else ``NotFound``."""
    current = (
        await ctx.store.get(Table.SESSIONS, {"sessionId": session_id})
        if is_uuid(session_id)
        else None
    )
    if not is_live(current):
        raise NotFound("no such session")
    return current


async def get_session(ctx: ServiceContext, session_id: str) -> SessionItem | None:
    viewer = ctx.require_viewer()
    session = await load_session(ctx, session_id)
    if session is None:
        return None
    access.require_participant(viewer, session)
    return as_session(session)


async def list_sessions_for_user(
    ctx: ServiceContext,
    user_id: str,
    *,
    as_role: str,
    status: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> Page:
    """The user's own sessions as ``mentor`` or ``mentee``, newest date first."""
    viewer = ctx.require_viewer()
    access.require_self(viewer, user_id, "their session list")
    index = "SessionsByMentor" if as_role == "mentor" else "SessionsByMentee"
    return await query_live(
        ctx,
        Table.SESSIONS,
        user_id,
        index=index,
        ascending=False,
        limit=limit,
        cursor=cursor,
        keep=lambda s: status is None or s.get("status") == status,
    )


async def list_upcoming_sessions(
    ctx: ServiceContext, user_id: str, limit: int | None = None
) -> list[SessionItem]:
    """PENDING and CONFIRMED sessions starting from now on, as mentor or mentee, soonest first."""
    viewer = ctx.require_viewer()
    access.require_self(viewer, user_id, "their upcoming sessions")
    wanted = clamp_limit(limit)
    from_now = SortKeyCondition.ge(utc_iso(ctx.clock.now()))
    merged: dict[str, Item] = {}
    for index in ("SessionsByMentor", "SessionsByMentee"):
        items, _ = await query_live(
            ctx,
            Table.SESSIONS,
            user_id,
            index=index,
            sk=from_now,
            limit=wanted,
            keep=lambda s: s.get("status") in SLOT_HOLDING_STATUSES,
        )
        merged.update((s["sessionId"], s) for s in items)
    ordered = sorted(merged.values(), key=lambda s: (str(s["date"]), str(s["sessionId"])))
    return [as_session(item) for item in ordered[:wanted]]


async def list_sessions_for_venue(
    ctx: ServiceContext, venue_id: str, limit: int | None = None
) -> list[SessionItem]:
    access.require_admin(ctx.require_viewer())
    items, _ = await query_live(
        ctx, Table.SESSIONS, venue_id, index="SessionsByVenue", ascending=False, limit=limit
    )
    return [as_session(item) for item in items]


async def list_sessions_by_status(
    ctx: ServiceContext, status: str, limit: int | None = None
) -> list[SessionItem]:
    access.require_admin(ctx.require_viewer())
    items, _ = await query_live(
        ctx, Table.SESSIONS, status, index="SessionsByStatus", ascending=False, limit=limit
    )
    return [as_session(item) for item in items]


# -- booking ------------------------------------------------------------------------------


def _meeting_link(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return require_http_url(value, field="meetingLink")


def _request_fields(data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The checked booking request, before anything is read from storage."""
    session_id = given_or_new_id(data.get("sessionId"), "sessionId")
    mentor_id = require_uuid(data.get("mentorId"), "mentorId")
    venue_id = data.get("venueId")
    link = _meeting_link(data.get("meetingLink"))
    kind = validate_session_request(str(data.get("type")), venue_id, link)
    if kind is SessionType.VIRTUAL and venue_id is not None:
        raise RuleViolation("a virtual session has no venue", field="venueId")
    if venue_id is not None:
        require_uuid(venue_id, "venueId")
    start = session_starts_at(str(data.get("date")), str(data.get("time")))
    check_session_in_future(start, now)
    duration = data.get("duration")
    if not isinstance(duration, int):
        raise RuleViolation("duration is a whole number of minutes", field="duration")
    validate_duration(duration)
    check_text_length(data.get("topic"), field="topic", max_length=MAX_TOPIC_LENGTH)
    topic = data["topic"].strip() if isinstance(data.get("topic"), str) else None
    return {
        "sessionId": session_id,
        "mentorId": mentor_id,
        "type": kind.value,
        "venueId": venue_id,
        "date": utc_iso(start),
        "time": data["time"],
        "duration": duration,
        "topic": topic or None,
        "meetingLink": link,
    }


async def book_session(ctx: ServiceContext, changes: Changes, data: Mapping[str, Any]) -> Item:
    """Check a booking by the caller (the mentee) and queue its writes in ``changes``.

    The price is computed here, never taken from the client; the mentor is told in the same
    transaction; and the mentor's slot ledger refuses an overlapping PENDING/CONFIRMED session.
    """
    viewer = ctx.require_viewer()
    now = ctx.clock.now()
    fields = _request_fields(data, now)
    if fields["mentorId"] == viewer.user_id:
        raise RuleViolation("you cannot book a session with yourself", field="mentorId")
    mentor = await ctx.store.get(Table.USERS, {"userId": fields["mentorId"]})
    if not is_live(mentor):
        raise RuleViolation("no such mentor", field="mentorId")
    if mentor.get("role") not in MENTOR_ROLES:
        raise RuleViolation("this user does not mentor", field="mentorId")
    venue: Item = {}
    if fields["venueId"] is not None:
        found = await ctx.store.get(Table.VENUES, {"venueId": fields["venueId"]})
        if not is_live(found):
            raise RuleViolation("no such venue", field="venueId")
        check_venue_takes_bookings(found)
        venue = found
    existing = await ctx.store.get(Table.SESSIONS, {"sessionId": fields["sessionId"]})
    if existing is not None:
        raise Conflict("a session with this id exists", field="sessionId")
    price = session_price(
        membership_tier=str(mentor.get("membershipTier") or "standard"),
        duration_minutes=fields["duration"],
        session_type=fields["type"],
        venue_is_partner=bool(venue.get("isPartner")),
        partnership_tier=venue.get("partnershipTier"),
        venue_discount_percentage=venue.get("discountPercentage"),
    )
    start = parse_utc(fields["date"])
    end = session_ends_at(start, fields["duration"])
    ledger = await read_ledger(ctx, fields["mentorId"])
    ledger.check_free(start, end)

    session = changes.create(
        Table.SESSIONS,
        {
            **fields,
            "menteeId": viewer.user_id,
            "status": SessionStatus.PENDING.value,
            "price": price,
            "feedbackEligible": False,
            "feedbackSubmitted": False,
        },
    )
    ledger.hold(session["sessionId"], start, end)
    ledger.write(changes)
    mentee = await ctx.loaders.user.load(viewer.user_id)
    who = str(mentee["name"]) if mentee else "A mentee"
    await notify(
        changes,
        user_id=fields["mentorId"],
        type="session_booked",
        title="New session request",
        message=ReaderText(f"{who} asked for a session on ", start),
        related_id=session["sessionId"],
    )
    return session


@retrying
async def create_session(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    changes = Changes(ctx)
    session = await book_session(ctx, changes, data)
    await changes.commit()
    return session
