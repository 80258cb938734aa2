"""Events on the device (public, synced): upcoming ones by date, filtered by type, each with its
places left and whether I am registered; one event's details (its venue from the synced
venues); my registrations, coming and past. Registering and cancelling need a connection: they
go through ``online`` and the new attendance comes back with the next pull."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import DomainError
from domain.events import check_registration_cancellable, event_starts_at
from sync import Entity

from . import online
from .context import UserContext

REGISTERED = "registered"
ATTENDING = frozenset({REGISTERED, "attended"})
"""Attendance statuses that count as "mine" (a cancelled or no-show one does not)."""


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
    capacity: int = 0
    ends_label: str = ""
    """"10:00" (the end time in the user's zone), or a day and time when it ends another day."""
    venue: str = ""
    """"Lisbon Hub, Rua Augusta 1, Lisbon" for an in-person event whose venue the device has."""
    meeting_link: str | None = None
    """The join link of a virtual event, when the server has shown it to me (registered)."""
    cancellable: bool = False
    """Registered and more than 24 hours before the start (the spec's cut-off)."""


@dataclass(frozen=True)
class EventsModel:
    events: tuple[EventItem, ...]
    """Upcoming events of the chosen type, soonest first."""
    mine: tuple[EventItem, ...]
    """Upcoming events I am registered for, soonest first."""
    kinds: tuple[str, ...]
    mine_past: tuple[EventItem, ...] = ()
    """Past events I was registered for, latest first."""


def _venue(user: UserContext, venue_id: object) -> str:
    venue = user.store.get(Entity.VENUE, {"venueId": str(venue_id)}) if venue_id else None
    if not venue:
        return ""
    parts = (venue.get("name"), venue.get("address"), venue.get("city"))
    return ", ".join(str(p) for p in parts if p)


def _cancellable(starts: dt.datetime, now: dt.datetime) -> bool:
    try:
        check_registration_cancellable(starts, now)
    except DomainError:
        return False
    return True


def _item(user: UserContext, row: dict[str, Any], registered: bool) -> EventItem:
    zone = ZoneInfo(user.time_zone)
    starts = event_starts_at(str(row["date"]), str(row["time"]))
    local = starts.astimezone(zone)
    duration = int(row.get("duration") or 60)
    ends = local + dt.timedelta(minutes=duration)
    capacity = int(row.get("maxAttendees") or 0)
    return EventItem(
        event_id=str(row["eventId"]),
        title=str(row.get("title") or "Event"),
        description=str(row.get("description") or ""),
        kind=str(row.get("type") or ""),
        when_label=f"{local:%a %-d %b, %H:%M}",
        starts_local=local,
        duration=duration,
        places_left=max(0, capacity - int(row.get("currentAttendees") or 0)),
        is_virtual=bool(row.get("isVirtual")),
        price=float(row.get("price") or 0.0),
        registered=registered,
        capacity=capacity,
        ends_label=f"{ends:%H:%M}" if ends.date() == local.date() else f"{ends:%a %-d %b, %H:%M}",
        venue="" if row.get("isVirtual") else _venue(user, row.get("venueId")),
        meeting_link=row.get("meetingLink") if registered else None,
        cancellable=registered and _cancellable(starts, user.clock.now()),
    )


def _registered(user: UserContext) -> set[str]:
    return {
        str(a["eventId"])
        for a in user.store.query(Entity.EVENT_ATTENDANCE, userId=user.user_id)
        if a.get("status") in ATTENDING
    }


def load_events(user: UserContext, kind: str | None = None) -> EventsModel:
    now = user.clock.now()
    mine = _registered(user)
    items = sorted(
        (_item(user, row, str(row["eventId"]) in mine) for row in user.store.query(Entity.EVENT)),
        key=lambda e: e.starts_local,
    )
    upcoming = [e for e in items if e.starts_local > now]
    return EventsModel(
        events=tuple(e for e in upcoming if not kind or e.kind == kind),
        mine=tuple(e for e in upcoming if e.registered),
        kinds=tuple(sorted({e.kind for e in items if e.kind})),
        mine_past=tuple(e for e in reversed(items) if e.registered and e.starts_local <= now),
    )


def load_event(user: UserContext, event_id: str) -> EventItem | None:
    """One event's details (``None`` when the device does not have it, e.g. deleted)."""
    row = user.store.get(Entity.EVENT, {"eventId": event_id})
    return _item(user, row, event_id in _registered(user)) if row else None


async def register(user: UserContext, event_id: str) -> None:
    """Take a place (``online.Refused`` when full or past; ``Unreachable`` offline)."""
    await online.signed_in(
        user.store, lambda url, token: online.register_for_event(url, token, event_id)
    )


async def cancel_registration(user: UserContext, event_id: str) -> None:
    await online.signed_in(
        user.store, lambda url, token: online.cancel_event_registration(url, token, event_id)
    )
