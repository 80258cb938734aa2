"""Events on the device (public, synced): upcoming ones by date, filtered by type, each with its
places left and whether I am registered. Registering and cancelling need a connection: they go
through ``online`` and the new attendance comes back with the next pull."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from domain.sessions import session_starts_at
from sync import Entity

from . import online
from .context import UserContext

REGISTERED = "registered"


@dataclass(frozen=True)
class EventItem:
    event_id: str
    title: str
    description: str
    kind: str
    when_label: str
    starts_local: dt.datetime
    duration: int
    places_left: int
    is_virtual: bool
    price: float
    registered: bool


@dataclass(frozen=True)
class EventsModel:
    events: tuple[EventItem, ...]
    """Upcoming events of the chosen type, soonest first."""
    mine: tuple[EventItem, ...]
    """Upcoming events I am registered for."""
    kinds: tuple[str, ...]


def _item(row: dict[str, Any], zone: ZoneInfo, registered: bool) -> EventItem:
    local = session_starts_at(str(row["date"]), str(row["time"])).astimezone(zone)
    capacity = int(row.get("maxAttendees") or 0)
    return EventItem(
        event_id=str(row["eventId"]),
        title=str(row.get("title") or "Event"),
        description=str(row.get("description") or ""),
        kind=str(row.get("type") or ""),
        when_label=f"{local:%a %-d %b, %H:%M}",
        starts_local=local,
        duration=int(row.get("duration") or 60),
        places_left=max(0, capacity - int(row.get("currentAttendees") or 0)),
        is_virtual=bool(row.get("isVirtual")),
        price=float(row.get("price") or 0.0),
        registered=registered,
    )


def load_events(user: UserContext, kind: str | None = None) -> EventsModel:
    zone = ZoneInfo(user.time_zone)
    now = user.clock.now()
    mine = {
        str(a["eventId"])
        for a in user.store.query(Entity.EVENT_ATTENDANCE, userId=user.user_id)
        if a.get("status") == REGISTERED
    }
    items = sorted(
        (_item(row, zone, str(row["eventId"]) in mine) for row in user.store.query(Entity.EVENT)),
        key=lambda e: e.starts_local,
    )
    upcoming = [e for e in items if e.starts_local > now]
    return EventsModel(
        events=tuple(e for e in upcoming if not kind or e.kind == kind),
        mine=tuple(e for e in upcoming if e.registered),
        kinds=tuple(sorted({e.kind for e in items if e.kind})),
    )


async def register(user: UserContext, event_id: str) -> None:
    """Take a place (``online.Refused`` when full or past; ``Unreachable`` offline)."""
    await online.signed_in(
        user.store, lambda url, token: online.register_for_event(url, token, event_id)
    )


async def cancel_registration(user: UserContext, event_id: str) -> None:
    await online.signed_in(
        user.store, lambda url, token: online.cancel_event_registration(url, token, event_id)
    )
