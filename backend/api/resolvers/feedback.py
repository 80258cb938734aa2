"""Session feedback: thin resolvers over ``services.feedback``.

When the feedback is anonymous, everyone but its mentee gets the placeholder user for
``mentee`` and a stand-in for ``session`` (``anonymity.detached_session``).
"""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import access, feedback
from ...services.anonymity import anonymous_user, detached_session
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
feedback_type = ObjectType("SessionFeedback")


@query.field("getSessionFeedback")
async def resolve_get_session_feedback(_: Any, info: Info, sessionId: str) -> Item | None:
    return await feedback.get_session_feedback(ctx_of(info), sessionId)


@query.field("listFeedbacksForMentor")
async def resolve_list_feedbacks_for_mentor(
    _: Any, info: Info, mentorId: str, limit: int | None = None
) -> list[Item]:
    return await feedback.list_feedbacks(ctx_of(info), mentorId, as_role="mentor", limit=limit)


@query.field("listFeedbacksForMentee")
async def resolve_list_feedbacks_for_mentee(
    _: Any, info: Info, menteeId: str, limit: int | None = None
) -> list[Item]:
    return await feedback.list_feedbacks(ctx_of(info), menteeId, as_role="mentee", limit=limit)


@mutation.field("submitSessionFeedback")
async def resolve_submit_session_feedback(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await feedback.submit_session_feedback(ctx_of(info), input)


@feedback_type.field("session")
async def resolve_feedback_session(item: Item, info: Info) -> Item | None:
    ctx = ctx_of(info)
    if access.hides_mentee(ctx.viewer, item):
        return detached_session(item)
    return await ctx.loaders.session.load(str(item["sessionId"]))


@feedback_type.field("mentee")
async def resolve_feedback_mentee(item: Item, info: Info) -> Item | None:
    ctx = ctx_of(info)
    if access.hides_mentee(ctx.viewer, item):
        return anonymous_user()
    return await ctx.loaders.user.load(str(item["menteeId"]))


@feedback_type.field("mentor")
async def resolve_feedback_mentor(item: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(str(item["mentorId"]))


@feedback_type.field("isAnonymous")
def resolve_feedback_is_anonymous(item: Item, info: Info) -> bool:
    return bool(item.get("isAnonymous"))


bindables = [query, mutation, feedback_type]
