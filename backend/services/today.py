"""A user's "today": their local calendar day from the injected clock and their time zone."""

from __future__ import annotations

from datetime import date

from domain.clock import local_today

from ..storage.items import Item
from .context import ServiceContext


def user_today(ctx: ServiceContext, user: Item | None) -> date:
    return local_today(ctx.clock.now(), str((user or {}).get("timeZone") or "UTC"))
