"""Reviews of users by users: one per author and target, and the target's average rating.

The table is keyed (targetId, authorId), so a second review by the same author replaces the
first; ``reviewId`` is ``"<targetId>#<authorId>"``. Every write recomputes the target's
``rating`` from all reviews of the target, in the same transaction as the review, so the
average can never disagree with the reviews (the version condition on the target's item
makes concurrent reviews of one target retry).

Session feedback creates a ``SESSION_FEEDBACK`` review through ``queue_review``; when that
feedback is anonymous, the review is too, hides its author (see ``access``) and is keyed by
the feedback instead of the mentee (``anonymity.anonymous_author``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import RuleViolation
from domain.ratings import aggregate_rating, checked_review

from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .ids import is_uuid, require_uuid
from .loaders import is_live
from .pages import all_live, query_live
from .writes import Changes, retrying


def review_id(target_id: str, author_id: str) -> str:
    return f"{target_id}#{author_id}"


async def queue_review(
    ctx: ServiceContext,
    changes: Changes,
    *,
    target: Item,
    author_id: str,
    rating: int,
    comment: str | None,
    review_type: str,
    extra: Mapping[str, Any] | None = None,
) -> Item:
    """Create or replace the author's review of ``target`` and update the target's rating.

    ``target`` is the target's user item as read from the store; its rating is written under
    its version condition. ``extra`` holds attributes of the review beyond the spec's (for a
    review made from feedback: ``sessionId``, ``feedbackId``, ``isAnonymous``).
    """
    target_id = str(target["userId"])
    key = {"targetId": target_id, "authorId": author_id}
    current = await ctx.store.get(Table.REVIEWS, key)
    fields = {
        "reviewId": review_id(target_id, author_id),
        "rating": rating,
        "comment": comment,
        "type": review_type,
        "sessionId": None,
        "feedbackId": None,
        "isAnonymous": None,
        **(extra or {}),
    }
    if is_live(current):
        review = changes.update(Table.REVIEWS, current, fields)
    else:
        review = changes.create(Table.REVIEWS, {**key, **fields}, replacing=current)
    others = await all_live(ctx, Table.REVIEWS, target_id)
    ratings = [r["rating"] for r in others if r["authorId"] != author_id] + [rating]
    changes.update(Table.USERS, target, {"rating": aggregate_rating(ratings)})
    return review


@retrying
async def upsert_review(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    """The caller's GENERAL review of another user (session reviews come from feedback)."""
    viewer = ctx.require_viewer()
    target_id = require_uuid(data.get("targetId"), "targetId")
    if target_id == viewer.user_id:
        raise RuleViolation("you cannot review yourself", field="targetId")
    rating, comment = checked_review(data.get("rating"), data.get("comment"))
    review_type = data.get("type") or "GENERAL"
    if review_type != "GENERAL":
        raise RuleViolation("session reviews are written with submitSessionFeedback", field="type")
    target = await ctx.store.get(Table.USERS, {"userId": target_id})
    if not is_live(target):
        raise RuleViolation("no such user", field="targetId")
    changes = Changes(ctx)
    review = await queue_review(
        ctx,
        changes,
        target=target,
        author_id=viewer.user_id,
        rating=rating,
        comment=comment,
        review_type=review_type,
    )
    await changes.commit()
    return review


async def get_review(ctx: ServiceContext, target_id: str, author_id: str) -> Item | None:
    """Any signed-in user; a review hiding its author is visible to that author only."""
    viewer = ctx.require_viewer()
    if not (is_uuid(target_id) and is_uuid(author_id)):
        return None
    review = await ctx.store.get(Table.REVIEWS, {"targetId": target_id, "authorId": author_id})
    if not is_live(review) or access.hides_review_author(viewer, review):
        return None
    return review


async def list_reviews_for_target(
    ctx: ServiceContext, target_id: str, limit: int | None = None
) -> list[Item]:
    """Any signed-in user: the target's reviews (anonymous ones show no author)."""
    ctx.require_viewer()
    items, _ = await query_live(ctx, Table.REVIEWS, target_id, limit=limit)
    return items


async def list_reviews_by_author(
    ctx: ServiceContext, author_id: str, limit: int | None = None
) -> list[Item]:
    """The author themself, newest first."""
    access.require_self(ctx.require_viewer(), author_id, "the reviews they wrote")
    items, _ = await query_live(
        ctx, Table.REVIEWS, author_id, index="ReviewsByAuthor", ascending=False, limit=limit
    )
    return items
