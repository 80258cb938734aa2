"""Session feedback: the mentee's one feedback per completed session, and who may read it.

Submitting it is one transaction: the feedback (keyed by ``sessionId``, so a second one is a
conflict), the session's ``feedbackSubmitted`` / ``rating`` (+0.2 in person) / ``review``
(not for anonymous feedback), a
``SESSION_FEEDBACK`` review of the mentor by the mentee with the mentor's new average rating,
and a ``feedback_received`` notification to the mentor. Anonymous feedback names nobody in
what it shows the mentor and is not written to the session (see ``anonymity``).
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
from .anonymity import anonymous_author
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
    if not anonymous:  # the session names its mentee: anonymous feedback leaves it untouched
        changes.update(Table.SESSIONS, session, session_summary(feedback, session))
    await queue_review(
        ctx,
        changes,
        target=mentor,
        author_id=anonymous_author(feedback) if anonymous else str(session["menteeId"]),
        rating=rating,
        comment=cleaned["whatWentWell"],
        review_type="SESSION_FEEDBACK",
        extra={
            "sessionId": None if anonymous else session["sessionId"],
            "feedbackId": feedback["feedbackId"],
            "isAnonymous": True if anonymous else None,
        },
    )
    await _notify_mentor(ctx, changes, session, anonymous=anonymous)
    await changes.commit()
    return feedback


def session_summary(feedback: ItemView, session: ItemView) -> dict[str, Any]:
    """What feedback sets on its session: submitted, when, the rating (+0.2 in person), the
    review (``whatWentWell``)."""
    return {
        "feedbackSubmitted": True,
        "feedbackSubmittedAt": feedback["createdAt"],
        "feedbackEligible": True,
        "rating": session_rating_with_bonus(int(feedback["rating"]), str(session["type"])),
        "review": feedback.get("whatWentWell"),
    }


_HIDDEN_SUMMARY: dict[str, Any] = {
    "feedbackSubmitted": False,
    "feedbackSubmittedAt": None,
    "rating": None,
    "review": None,
}


async def _notify_mentor(
    ctx: ServiceContext, changes: Changes, session: ItemView, *, anonymous: bool
) -> None:
    """Anonymous feedback's notice names neither the session nor its date."""
    if anonymous:
        message, related = "A mentee left anonymous feedback on one of your sessions.", None
    else:
        mentee = await ctx.loaders.user.load(str(session["menteeId"]))
        who = "A mentee" if mentee is None else str(mentee["name"])
        message = f"{who} left feedback on your session of {str(session['date'])[:10]}."
        related = str(session["sessionId"])
    await notify(
        changes,
        user_id=str(session["mentorId"]),
        type="feedback_received",
        title="New session feedback",
        message=message,
        related_id=related,
    )


async def get_session_feedback(ctx: ServiceContext, session_id: str) -> Item | None:
    """The session's mentee or mentor; ``None`` while there is no feedback (or no session),
    and for the mentor when it is anonymous (asked by session, it would name the mentee)."""
    viewer = ctx.require_viewer()
    session = await load_session(ctx, session_id)
    if session is None:
        return None
    access.require_participant(viewer, session)
    feedback = await ctx.loaders.feedback.load(session_id)
    if feedback is not None:
        access.require_feedback_reader(viewer, feedback)
    return await feedback_of_session(ctx, session)


async def feedback_of_session(ctx: ServiceContext, session: ItemView) -> Item | None:
    """The feedback on a session, for its participants only; anonymous feedback only for its
    mentee (its mentor reads it detached from the session, in ``listFeedbacksForMentor``)."""
    viewer = ctx.viewer
    if viewer is None or not access.is_participant(viewer, session):
        return None
    feedback = await ctx.loaders.feedback.load(str(session["sessionId"]))
    if feedback is not None and access.hides_mentee(viewer, feedback):
        return None
    return feedback


async def feedback_summary_of_session(ctx: ServiceContext, session: ItemView) -> dict[str, Any]:
    """The session's ``feedbackSubmitted``, ``feedbackSubmittedAt``, ``rating`` and ``review``
    as the viewer may see them. Anonymous feedback is not written to the session: its mentee
    sees them from the feedback, everyone else sees none (sessions stored before this rule
    may still carry them, so they are hidden rather than read)."""
    stored = {name: session.get(name) for name in _HIDDEN_SUMMARY}
    stored["feedbackSubmitted"] = bool(session.get("feedbackSubmitted"))
    viewer = ctx.viewer
    if viewer is None or not access.is_participant(viewer, session):
        return stored
    feedback = await ctx.loaders.feedback.load(str(session["sessionId"]))
    if feedback is None or not feedback.get("isAnonymous"):
        return stored
    if access.hides_mentee(viewer, feedback):
        return dict(_HIDDEN_SUMMARY)
    return session_summary(feedback, session)


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
