"""Badges: thin resolvers over ``services.badges`` (awarding happens inside other changes)."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType

from ...services import badges
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
badge_type = ObjectType("Badge")


@query.field("listBadgesForUser")
async def resolve_list_badges_for_user(
    _: Any, info: Info, userId: str, limit: int | None = None
) -> list[Item]:
    return await badges.list_badges_for_user(ctx_of(info), userId, limit)


@query.field("listBadgesByType")
async def resolve_list_badges_by_type(
    _: Any, info: Info, type: str, limit: int | None = None
) -> list[Item]:
    return await badges.list_badges_by_type(ctx_of(info), type, limit)


@badge_type.field("user")
async def resolve_badge_user(badge: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(badge["userId"])


bindables = [query, badge_type]
