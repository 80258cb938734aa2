"""Bounded lists: every list the API returns is capped, and growing ones resume from a cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.errors import RuleViolation

from ..storage.conditions import SortKeyCondition
from ..storage.errors import ValidationError
from ..storage.items import Item
from .context import ServiceContext
from .loaders import is_live

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_ROUND_TRIPS = 20


def clamp_limit(
    limit: int | None, *, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT
) -> int:
    if limit is None:
        return default
    if limit < 1:
        raise RuleViolation("limit must be at least 1", field="limit")
    return min(limit, maximum)


async def query_live(
    ctx: ServiceContext,
    table: str,
    pk: Any,
    *,
    index: str | None = None,
    sk: SortKeyCondition | None = None,
    ascending: bool = True,
    limit: int | None = None,
    cursor: str | None = None,
    keep: Callable[[Item], bool] = lambda item: True,
) -> tuple[list[Item], str | None]:
    """Up to ``limit`` live items that ``keep`` accepts, and the cursor to the rest.

    Each storage page asks only for as many items as are still needed, so the cursor always
    points just after the last item returned and nothing is skipped or repeated.
    """
    wanted = clamp_limit(limit)
    items: list[Item] = []
    for _ in range(MAX_ROUND_TRIPS):
        try:
            page = await ctx.store.query(
                table,
                pk,
                index=index,
                sk=sk,
                ascending=ascending,
                limit=wanted - len(items),
                cursor=cursor,
            )
        except ValidationError as exc:
            raise RuleViolation(str(exc), field="cursor" if cursor else "input") from exc
        items += [i for i in page.items if is_live(i) and keep(i)]
        cursor = page.cursor
        if cursor is None or len(items) >= wanted:
            break
    return items, cursor


async def all_live(
    ctx: ServiceContext,
    table: str,
    pk: Any,
    *,
    index: str | None = None,
    sk: SortKeyCondition | None = None,
    cap: int = 5000,
) -> list[Item]:
    """Every live item of a partition, up to ``cap`` (for aggregates such as streaks)."""
    items: list[Item] = []
    cursor: str | None = None
    while len(items) < cap:
        page = await ctx.store.query(table, pk, index=index, sk=sk, limit=1000, cursor=cursor)
        items += [i for i in page.items if is_live(i)]
        cursor = page.cursor
        if cursor is None:
            break
    return items[:cap]
