"""Sessions: thin resolvers over ``services.sessions`` / ``services.session_status``.

Nested fields read through the request's loaders; ``mentorNotes`` is for the mentor only;
anonymous feedback and what it set (``rating``, ``review``...) only for its mentee; and
``feedbackEligible`` is computed from ``completedAt`` and the clock, so it needs no write.
"""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import feedback, mentor_notes, session_status, sessions
from ...services.anonymity import anonymous_user, is_detached
from ...services.records import SessionItem
from ...storage.items import Item
from ..context import Info, ctx_of
from ..pages import page_payload

query = QueryType()
mutation = MutationType()
session_type = ObjectType("Session")


@query.field("getSession")
async def resolve_get_session(_: Any, info: Info, sessionId: str) -> SessionItem | None:
    return await sessions.get_session(ctx_of(info), sessionId)


@query.field("listSessionsForMentor")
async def resolve_list_sessions_for_mentor(
    _: Any, info: Info, mentorId: str, status: str | None = None, limit: int | None = None
) -> list[Item]:
    items, _cursor = await sessions.list_sessions_for_user(
        ctx_of(info), mentorId, as_role="mentor", status=status, limit=limit
    )
    return items


@query.field("listSessionsForMentorPage")
async def resolve_list_sessions_for_mentor_page(
    _: Any,
    info: Info,
    mentorId: str,
    status: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    return page_payload(
        await sessions.list_sessions_for_user(
            ctx_of(info), mentorId, as_role="mentor", status=status, limit=limit, cursor=cursor
        )
    )


@query.field("listSessionsForMentee")
async def resolve_list_sessions_for_mentee(
    _: Any, info: Info, menteeId: str, status: str | None = None, limit: int | None = None
) -> list[Item]:
    items, _cursor = await sessions.list_sessions_for_user(
        ctx_of(info), menteeId, as_role="mentee", status=status, limit=limit
    )
    return items


@query.field("listSessionsForMenteePage")
async def resolve_list_sessions_for_mentee_page(
    _: Any,
    info: Info,
    menteeId: str,
    status: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    return page_payload(
        await sessions.list_sessions_for_user(
            ctx_of(info), menteeId, as_role="mentee", status=status, limit=limit, cursor=cursor
        )
    )


@query.field("listUpcomingSessions")
async def resolve_list_upcoming_sessions(
    _: Any, info: Info, userId: str, limit: int | None = None
) -> list[SessionItem]:
    return await sessions.list_upcoming_sessions(ctx_of(info), userId, limit)


@query.field("listSessionsForVenue")
async def resolve_list_sessions_for_venue(
    _: Any, info: Info, venueId: str, limit: int | None = None
) -> list[SessionItem]:
    return await sessions.list_sessions_for_venue(ctx_of(info), venueId, limit)


@query.field("listSessionsByStatus")
async def resolve_list_sessions_by_status(
    _: Any, info: Info, status: str, limit: int | None = None
) -> list[SessionItem]:
    return await sessions.list_sessions_by_status(ctx_of(info), status, limit)


@mutation.field("createSession")
async def resolve_create_session(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await sessions.create_session(ctx_of(info), input)


@mutation.field("confirmSession")
async def resolve_confirm_session(_: Any, info: Info, sessionId: str) -> Item:
    return await session_status.confirm_session(ctx_of(info), sessionId)


@mutation.field("completeSession")
async def resolve_complete_session(
    _: Any, info: Info, sessionId: str, notes: str | None = None
) -> Item:
    return await session_status.complete_session(ctx_of(info), sessionId, notes)


@mutation.field("cancelSession")
async def resolve_cancel_session(
    _: Any, info: Info, sessionId: str, reason: str | None = None
) -> Item:
    return await session_status.cancel_session(ctx_of(info), sessionId, reason)


@mutation.field("markSessionNoShow")
async def resolve_mark_session_no_show(_: Any, info: Info, sessionId: str) -> Item:
    return await session_status.mark_no_show(ctx_of(info), sessionId)


@session_type.field("mentor")
async def resolve_session_mentor(session: SessionItem, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(str(session["mentorId"]))


@session_type.field("mentee")
async def resolve_session_mentee(session: SessionItem, info: Info) -> Item | None:
    """The placeholder in the stand-in reached through anonymous feedback."""
    if is_detached(session):
        return anonymous_user()
    return await ctx_of(info).loaders.user.load(str(session["menteeId"]))


@session_type.field("venue")
async def resolve_session_venue(session: SessionItem, info: Info) -> Item | None:
    loaders = ctx_of(info).loaders
    return await loaders.load(loaders.venue, session.get("venueId"))


@session_type.field("feedback")
async def resolve_session_feedback(session: SessionItem, info: Info) -> Item | None:
    return await feedback.feedback_of_session(ctx_of(info), session)


@session_type.field("mentorNotes")
async def resolve_session_mentor_notes(session: SessionItem, info: Info) -> Item | None:
    return await mentor_notes.notes_of_session(ctx_of(info), session)


@session_type.field("feedbackEligible")
def resolve_session_feedback_eligible(session: SessionItem, info: Info) -> bool:
    return sessions.is_feedback_eligible(session, ctx_of(info).clock.now())


@session_type.field("feedbackSubmitted")
async def resolve_session_feedback_submitted(session: SessionItem, info: Info) -> bool:
    summary = await feedback.feedback_summary_of_session(ctx_of(info), session)
    return bool(summary["feedbackSubmitted"])


@session_type.field("feedbackSubmittedAt")
@session_type.field("rating")
@session_type.field("review")
async def resolve_session_feedback_summary(session: SessionItem, info: Info) -> Any:
    """Hidden from everyone but its mentee when the feedback is anonymous."""
    summary = await feedback.feedback_summary_of_session(ctx_of(info), session)
    return summary[info.field_name]


bindables = [query, mutation, session_type]
