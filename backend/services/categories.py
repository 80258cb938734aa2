"""Mentorship categories (admin-made, public) and the users linked to them.

Names are unique ignoring case. An index read is eventually consistent and cannot guard a
race, so, as for usernames, a companion item ``#name#<lower-cased name>`` in the Categories
table (holding the owner's id) is created in the same transaction as the category; it has no
``name``, so it stays out of ``CategoriesByName``, and look-ups by name read it by key.
Links (``UserCategories``: userId, categoryId) are removed as tombstones.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Mapping
from typing import Any

from domain.errors import Conflict, RuleViolation
from domain.text import check_text_length, require_text

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from . import access, profiles
from .context import ServiceContext
from .loaders import is_live
from .pages import clamp_limit, query_live
from .writes import Changes, retrying

TABLE = Table.CATEGORIES
LINKS = Table.USER_CATEGORIES
COMPANION_PREFIX = "#"
MAX_SCANNED = 5000
_HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def name_key(name: str) -> dict[str, str]:
    return {"categoryId": f"{COMPANION_PREFIX}name#{name.strip().lower()}"}


def _is_category(item: Item | None) -> bool:
    return (
        item is not None
        and is_live(item)
        and not str(item["categoryId"]).startswith(COMPANION_PREFIX)
    )


def _by_name(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda c: (str(c["name"]).lower(), str(c["categoryId"])))


async def _categories(ctx: ServiceContext, ids: list[str]) -> list[Item]:
    loaded = await ctx.loaders.category.load_many(ids)
    return [c for c in loaded if c is not None and _is_category(c)]


async def list_categories(ctx: ServiceContext, limit: int | None) -> list[Item]:
    """Every category, by name (a small table: scanned whole, then sorted)."""
    wanted = clamp_limit(limit)
    found: list[Item] = []
    cursor: str | None = None
    while len(found) < MAX_SCANNED:
        page = await ctx.store.scan(TABLE, limit=1000, cursor=cursor)
        found += [item for item in page.items if _is_category(item)]
        cursor = page.cursor
        if cursor is None:
            break
    return _by_name(found)[:wanted]


async def get_category(ctx: ServiceContext, category_id: str) -> Item | None:
    if category_id.startswith(COMPANION_PREFIX):
        return None
    category: Item | None = await ctx.loaders.category.load(category_id)
    return category


async def get_category_by_name(ctx: ServiceContext, name: str) -> Item | None:
    """The category with this name, ignoring case and surrounding spaces."""
    if not name.strip():
        return None
    entry = await ctx.store.get(TABLE, name_key(name))
    if not is_live(entry):
        return None
    return await get_category(ctx, str(entry["ownerId"]))


def _color(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise RuleViolation("a hex color as #RRGGBB", field="color")
    return value.upper()


@retrying
async def create_category(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    access.require_admin(ctx.require_viewer())
    name = require_text(data.get("name"), field="name", max_length=60).strip()
    check_text_length(data.get("description"), field="description", max_length=1000)
    check_text_length(data.get("icon"), field="icon", max_length=100)
    color = _color(data.get("color"))
    taken = await ctx.store.get(TABLE, name_key(name))
    if is_live(taken):
        raise Conflict("a category with this name exists", field="name")
    category_id = str(uuid.uuid4())
    changes = Changes(ctx)
    category = changes.create(
        TABLE,
        {
            "categoryId": category_id,
            "name": name,
            "description": data.get("description"),
            "icon": data.get("icon"),
            "color": color,
        },
    )
    changes.create(TABLE, {**name_key(name), "ownerId": category_id}, replacing=taken)
    await changes.commit()
    return category


def _link_key(user_id: str, category_id: str) -> dict[str, str]:
    return {"userId": user_id, "categoryId": category_id}


@retrying
async def add_user_category(ctx: ServiceContext, category_id: str) -> Item:
    """Link the caller to the category; linking twice returns the existing link."""
    viewer = ctx.require_viewer()
    if await get_category(ctx, category_id) is None:
        raise NotFound("no such category", field="categoryId")
    current = await ctx.store.get(LINKS, _link_key(viewer.user_id, category_id))
    if is_live(current):
        return current
    changes = Changes(ctx)
    link = changes.create(LINKS, _link_key(viewer.user_id, category_id), replacing=current)
    await changes.commit()
    ctx.loaders.categories_by_user.clear(viewer.user_id)
    return link


@retrying
async def remove_user_category(ctx: ServiceContext, category_id: str) -> Item:
    """Unlink the caller from the category; returns the link as it was."""
    viewer = ctx.require_viewer()
    current = await ctx.store.get(LINKS, _link_key(viewer.user_id, category_id))
    if not is_live(current):
        raise NotFound("you are not linked to this category", field="categoryId")
    changes = Changes(ctx)
    changes.delete(LINKS, current)
    await changes.commit()
    ctx.loaders.categories_by_user.clear(viewer.user_id)
    return current


async def list_categories_for_user(
    ctx: ServiceContext, user_id: str, limit: int | None
) -> list[Item]:
    """A mentee's links only for her circle (``profiles``)."""
    user = await ctx.loaders.user.load(user_id)
    if user is not None and not await profiles.can_see_field(ctx, user, "mentorshipCategories"):
        return []
    links, _ = await query_live(ctx, LINKS, user_id, limit=limit)
    return _by_name(await _categories(ctx, [link["categoryId"] for link in links]))


async def list_users_for_category(
    ctx: ServiceContext, category_id: str, limit: int | None
) -> list[Item]:
    links, _ = await query_live(
        ctx, LINKS, category_id, index="UserCategoriesByCategory", limit=limit
    )
    """Mentors, and mentees only for their circle (``profiles``)."""
    users = await ctx.loaders.user.load_many([link["userId"] for link in links])
    found = [u for u in users if u is not None]
    seen = await asyncio.gather(
        *(profiles.can_see_field(ctx, u, "mentorshipCategories") for u in found)
    )
    return [u for u, visible in zip(found, seen, strict=True) if visible]


async def mentorship_categories(ctx: ServiceContext, user: Item) -> list[Item]:
    """``User.mentorshipCategories``: one partition read per user, categories batched; a
    mentee's only for her circle (``profiles``)."""
    if not await profiles.can_see_field(ctx, user, "mentorshipCategories"):
        return []
    links: list[Item] = await ctx.loaders.categories_by_user.load(user["userId"])
    return _by_name(await _categories(ctx, [link["categoryId"] for link in links]))
