"""Categories and user links: thin resolvers that call ``services.categories``, plus
``User.mentorshipCategories``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import categories
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
user_category_type = ObjectType("UserCategory")
user_type = ObjectType("User")


@query.field("listCategories")
async def resolve_list_categories(_: Any, info: Info, limit: int | None = None) -> list[Item]:
    return await categories.list_categories(ctx_of(info), limit)


@query.field("getCategory")
async def resolve_get_category(_: Any, info: Info, categoryId: str) -> Item | None:
    return await categories.get_category(ctx_of(info), categoryId)


@query.field("getCategoryByName")
async def resolve_get_category_by_name(_: Any, info: Info, name: str) -> Item | None:
    return await categories.get_category_by_name(ctx_of(info), name)


@query.field("listCategoriesForUser")
async def resolve_list_categories_for_user(
    _: Any, info: Info, userId: str, limit: int | None = None
) -> list[Item]:
    return await categories.list_categories_for_user(ctx_of(info), userId, limit)


@query.field("listUsersForCategory")
async def resolve_list_users_for_category(
    _: Any, info: Info, categoryId: str, limit: int | None = None
) -> list[Item]:
    return await categories.list_users_for_category(ctx_of(info), categoryId, limit)


@mutation.field("createCategory")
async def resolve_create_category(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await categories.create_category(ctx_of(info), input)


@mutation.field("addUserCategory")
async def resolve_add_user_category(_: Any, info: Info, categoryId: str) -> Item:
    return await categories.add_user_category(ctx_of(info), categoryId)


@mutation.field("removeUserCategory")
async def resolve_remove_user_category(_: Any, info: Info, categoryId: str) -> Item:
    return await categories.remove_user_category(ctx_of(info), categoryId)


@user_category_type.field("user")
async def resolve_user_category_user(link: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(link["userId"])


@user_category_type.field("category")
async def resolve_user_category_category(link: Item, info: Info) -> Item | None:
    return await categories.get_category(ctx_of(info), link["categoryId"])


@user_type.field("mentorshipCategories")
async def resolve_user_mentorship_categories(user: Item, info: Info) -> list[Item]:
    return await categories.mentorship_categories(ctx_of(info), user)


bindables = [query, mutation, user_category_type, user_type]
