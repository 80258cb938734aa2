"""Session feedback: the mentee's one feedback per completed session, and who may read it.

Submitting it is one transaction: the feedback (keyed by ``sessionId``, so a second one is a
conflict), the session's ``feedbackSubmitted`` / ``rating`` (+0.2 in person) / ``review``, a
``SESSION_FEEDBACK`` review of the mentor by the mentee with the mentor's new average rating,
and a ``feedback_received`` notification to the mentor. Anonymous feedback names nobody in
what it shows the mentor (see ``anonymity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.clock import parse_utc
from domain.feedback import REQUIRED_FEEDBACK_TEXTS, validate_session_feedback
from domain.ratings import session_rating_with_bonus

from ..errors import NotFound
from ..storage.items import Item, ItemView
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .ids import given_or_new_id
from .loaders import is_live
from .notify import notify
from .pages import query_live
from .reviews import queue_review
from .sessions import load_session, read_session
from .writes import Changes, retrying

TEXT_FIELDS = (*REQUIRED_FEEDBACK_TEXTS, "additionalComments")


@retrying
async def submit_session_feedback(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    session = await read_session(ctx, str(data.get("sessionId")))
    existing = await ctx.store.get(Table.SESSION_FEEDBACKS, {"sessionId": session["sessionId"]})
    completed_at = session.get("completedAt")
    texts = {name: data.get(name) for name in TEXT_FIELDS}
    validate_session_feedback(
        actor_is_mentee=viewer.user_id == session["menteeId"],
        session_status=str(session["status"]),
        feedback_submitted=bool(session.get("feedbackSubmitted")) or is_live(existing),
        completed_at=parse_utc(completed_at) if completed_at else None,
        now=ctx.clock.now(),
        rating=data["rating"],
        texts=texts,
    )
    mentor = await ctx.store.get(Table.USERS, {"userId": session["mentorId"]})
    if not is_live(mentor):
        raise NotFound("the session's mentor no longer exists")
    rating = int(data["rating"])
    anonymous = bool(data.get("isAnonymous"))
    cleaned = {
        name: (str(v).strip() or None) if v is not None else None for name, v in texts.items()
    }

    changes = Changes(ctx)
    feedback = changes.create(
        Table.SESSION_FEEDBACKS,
        {
            "sessionId": session["sessionId"],
            "feedbackId": given_or_new_id(None, "feedbackId"),
            "menteeId": session["menteeId"],
            "mentorId": session["mentorId"],
            "rating": rating,
            **cleaned,
            "isAnonymous": anonymous,
        },
        replacing=existing,
    )
    changes.update(
        Table.SESSIONS,
        session,
        {
            "feedbackSubmitted": True,
            "feedbackSubmittedAt": changes.now,
            "feedbackEligible": True,
            "rating": session_rating_with_bonus(rating, str(session["type"])),
            "review": cleaned["whatWentWell"],
        },
    )
    await queue_review(
        ctx,
        changes,
        target=mentor,
        author_id=str(session["menteeId"]),
        rating=rating,
        comment=cleaned["whatWentWell"],
        review_type="SESSION_FEEDBACK",
        extra={
            "sessionId": session["sessionId"],
            "feedbackId": feedback["feedbackId"],
            "isAnonymous": True if anonymous else None,
        },
    )
    mentee = await ctx.loaders.user.load(str(session["menteeId"]))
    who = "A mentee" if anonymous or mentee is None else str(mentee["name"])
    await notify(
        changes,
        user_id=str(session["mentorId"]),
        type="feedback_received",
        title="New session feedback",
        message=f"{who} left feedback on your session of {str(session['date'])[:10]}.",
        related_id=str(session["sessionId"]),
    )
    await changes.commit()
    return feedback


async def get_session_feedback(ctx: ServiceContext, session_id: str) -> Item | None:
    """The session's mentee or mentor; ``None`` while there is no feedback (or no session)."""
    viewer = ctx.require_viewer()
    session = await load_session(ctx, session_id)
    if session is None:
        return None
    access.require_participant(viewer, session)
    feedback = await ctx.loaders.feedback.load(session_id)
    if feedback is not None:
        access.require_feedback_reader(viewer, feedback)
    return feedback


async def feedback_of_session(ctx: ServiceContext, session: ItemView) -> Item | None:
    """The feedback on a session the viewer can see, for its participants only."""
    viewer = ctx.viewer
    if viewer is None or not access.is_participant(viewer, session):
        return None
    return await ctx.loaders.feedback.load(str(session["sessionId"]))


async def list_feedbacks(
    ctx: ServiceContext, user_id: str, *, as_role: str, limit: int | None = None
) -> list[Item]:
    """Feedback about the mentor's sessions, or written by the mentee; newest first."""
    access.require_self(ctx.require_viewer(), user_id, "their feedback")
    index = "FeedbacksByMentor" if as_role == "mentor" else "FeedbacksByMentee"
    items, _ = await query_live(
        ctx, Table.SESSION_FEEDBACKS, user_id, index=index, ascending=False, limit=limit
    )
    return items
