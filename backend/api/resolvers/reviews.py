"""Reviews: thin resolvers over ``services.reviews``.

A review made from anonymous feedback shows everyone but its author the placeholder user as
``author`` and an id that does not contain the author's id.
"""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import access, reviews
from ...services.anonymity import ANONYMOUS_USER_ID, anonymous_user
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
review_type = ObjectType("Review")


@query.field("getReview")
async def resolve_get_review(_: Any, info: Info, targetId: str, authorId: str) -> Item | None:
    return await reviews.get_review(ctx_of(info), targetId, authorId)


@query.field("listReviewsForTarget")
async def resolve_list_reviews_for_target(
    _: Any, info: Info, targetId: str, limit: int | None = None
) -> list[Item]:
    return await reviews.list_reviews_for_target(ctx_of(info), targetId, limit)


@query.field("listReviewsByAuthor")
async def resolve_list_reviews_by_author(
    _: Any, info: Info, authorId: str, limit: int | None = None
) -> list[Item]:
    return await reviews.list_reviews_by_author(ctx_of(info), authorId, limit)


@mutation.field("upsertReview")
async def resolve_upsert_review(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await reviews.upsert_review(ctx_of(info), input)


@review_type.field("reviewId")
def resolve_review_id(review: Item, info: Info) -> str:
    if access.hides_review_author(ctx_of(info).viewer, review):
        return f"{review['targetId']}#{ANONYMOUS_USER_ID}#{review.get('feedbackId', '')}"
    return str(review["reviewId"])


@review_type.field("author")
async def resolve_review_author(review: Item, info: Info) -> Item | None:
    ctx = ctx_of(info)
    if access.hides_review_author(ctx.viewer, review):
        return anonymous_user()
    return await ctx.loaders.user.load(str(review["authorId"]))


@review_type.field("target")
async def resolve_review_target(review: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(str(review["targetId"]))


bindables = [query, mutation, review_type]
