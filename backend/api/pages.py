"""The shape of every ``…Page`` result: ``{ items, nextCursor }``."""

from __future__ import annotations

from typing import Any

from ..storage.items import Item


def page_payload(result: tuple[list[Item], str | None]) -> dict[str, Any]:
    """A service's ``(items, cursor)`` as a GraphQL page; a null cursor means nothing more."""
    items, cursor = result
    return {"items": items, "nextCursor": cursor}
