"""Community events and their registrations.

An event is public; its host (the creator) or an admin changes it. ``currentAttendees`` is a
counter on the event item, changed in the same transaction as each registration or
cancellation, so the version condition on the event serializes bookings: capacity holds even
when many people take the last seat at once (the losers retry, then see the event full).
A registration (``EventAttendances``: eventId, userId) holds a seat while it is registered,
attended or no_show; cancelling frees it, and registering again re-activates it.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from domain.clock import parse_local_date, parse_utc, utc_iso
from domain.errors import Conflict, NotAllowed, RuleViolation
from domain.events import (
    check_capacity,
    check_registration_cancellable,
    event_starts_at,
    validate_event_request,
)
from domain.horizon import check_within_horizon
from domain.links import require_http_url
from domain.text import check_text_length, require_text

from ..errors import NotFound
from ..storage.conditions import SortKeyCondition
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext, Viewer
from .loaders import is_live
from .notify import ReaderText, notify
from .pages import clamp_limit, query_live
from .writes import Changes, retrying

TABLE = Table.EVENTS
ATTENDANCES = Table.EVENT_ATTENDANCES
EVENT_TYPES = ("hangout", "workshop", "networking", "casual_meetup")
MARKABLE = ("attended", "no_show")
SEAT_HOLDING = ("registered", "attended", "no_show")
REQUIRED = ("title", "description", "type", "date", "time", "duration", "maxAttendees", "isVirtual")
MAX_TAGS = 20
DEFAULT_RANGE = timedelta(days=30)
MAX_RANGE_DAYS = 93

Page = tuple[list[Item], str | None]


def starts_at(event: Item) -> datetime:
    return event_starts_at(str(event["date"]), str(event["time"]))


# -- validation ---------------------------------------------------------------------------


def _event_type(value: object) -> str:
    if value not in EVENT_TYPES:
        raise RuleViolation(f"{value!r} is not one of: {', '.join(EVENT_TYPES)}", field="type")
    return str(value)


def _tags(values: Iterable[object]) -> list[str]:
    out: list[str] = []
    for value in values:
        tag = require_text(value, field="tags", max_length=50).strip()
        if tag.lower() not in (t.lower() for t in out):
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise RuleViolation(f"at most {MAX_TAGS} tags", field="tags")
    return out


def _meeting_link(value: object) -> str:
    return require_http_url(value, field="meetingLink")


async def _venue_id(ctx: ServiceContext, venue_id: str | None) -> str | None:
    if venue_id is None:
        return None
    if await ctx.loaders.venue.load(venue_id) is None:
        raise NotFound("no such venue", field="venueId")
    return venue_id


async def _validated(
    ctx: ServiceContext, data: Mapping[str, Any], current: Item | None
) -> dict[str, Any]:
    """The fields of ``data`` checked and normalised (``None`` clears an optional one)."""
    if current is None:
        for name in REQUIRED:
            if data.get(name) is None:
                raise RuleViolation("is required", field=name)
    else:
        for name in (*REQUIRED, "price", "tags"):
            if name in data and data[name] is None:
                raise RuleViolation("cannot be cleared", field=name)
    out: dict[str, Any] = {}
    if "title" in data:
        out["title"] = require_text(data["title"], field="title", max_length=200).strip()
    if "description" in data:
        out["description"] = require_text(data["description"], field="description", max_length=5000)
    if "type" in data:
        out["type"] = _event_type(data["type"])
    if "date" in data or "time" in data:
        base = current or {}
        start = event_starts_at(
            str(data.get("date", base.get("date"))), str(data.get("time", base.get("time")))
        )
        if start <= ctx.clock.now():
            raise RuleViolation("the event must start in the future", field="date")
        check_within_horizon(start, ctx.clock.now())
        out["date"] = utc_iso(start)
        out["time"] = start.strftime("%H:%M")
    merged = {**(current or {}), **{k: v for k, v in data.items() if v is not None}}
    validate_event_request(
        max_attendees=int(merged["maxAttendees"]),
        duration_minutes=int(merged["duration"]),
        price=float(merged.get("price") or 0),
    )
    for name in ("duration", "maxAttendees", "price"):
        if name in data:
            out[name] = data[name]
    if current is not None and int(merged["maxAttendees"]) < int(current["currentAttendees"]):
        raise RuleViolation(
            "maxAttendees cannot be below the places already taken", field="maxAttendees"
        )
    if "isVirtual" in data:
        out["isVirtual"] = bool(data["isVirtual"])
    if "tags" in data:
        out["tags"] = _tags(data["tags"])
    if "image" in data:
        check_text_length(data["image"], field="image", max_length=2048)
        out["image"] = data["image"]
    if "meetingLink" in data:
        link = data["meetingLink"]
        out["meetingLink"] = None if link is None else _meeting_link(link)
    if "venueId" in data:
        out["venueId"] = await _venue_id(ctx, data["venueId"])
    return out


# -- events -------------------------------------------------------------------------------


async def _live_event(ctx: ServiceContext, event_id: str) -> Item:
    """The event as stored now (strongly consistent), for a decision that writes."""
    event = await ctx.store.get(TABLE, {"eventId": event_id})
    if not is_live(event):
        raise NotFound("no such event")
    return event


@retrying
async def create_event(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    """The caller hosts a new event."""
    viewer = ctx.require_viewer()
    fields = await _validated(ctx, data, None)
    changes = Changes(ctx)
    event = changes.create(
        TABLE,
        {
            "eventId": str(uuid.uuid4()),
            "hostId": viewer.user_id,
            "currentAttendees": 0,
            "price": 0,
            "tags": [],
            **{k: v for k, v in fields.items() if v is not None},
        },
    )
    await changes.commit()
    return event


@retrying
async def update_event(ctx: ServiceContext, event_id: str, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    current = await _live_event(ctx, event_id)
    access.require_event_host_or_admin(viewer, current)
    fields = await _validated(ctx, data, current)
    changes = Changes(ctx)
    event = changes.update(TABLE, current, fields)
    await changes.commit()
    _remember(ctx, event=event)
    return event


@retrying
async def set_meeting_link(ctx: ServiceContext, event_id: str, meeting_link: str) -> Item:
    viewer = ctx.require_viewer()
    current = await _live_event(ctx, event_id)
    access.require_event_host_or_admin(viewer, current)
    changes = Changes(ctx)
    event = changes.update(TABLE, current, {"meetingLink": _meeting_link(meeting_link)})
    await changes.commit()
    _remember(ctx, event=event)
    return event


async def get_event(ctx: ServiceContext, event_id: str) -> Item | None:
    return await ctx.loaders.event.load(event_id)


def _day_cursor(day: date, storage_cursor: str | None) -> str:
    raw = json.dumps({"d": day.isoformat(), "c": storage_cursor}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_day_cursor(cursor: str, first: date, last: date) -> tuple[date, str | None]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        day = date.fromisoformat(data["d"])
        inner = data["c"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise RuleViolation("the cursor is not valid", field="cursor") from None
    if not first <= day <= last or not (inner is None or isinstance(inner, str)):
        raise RuleViolation("the cursor belongs to a different query", field="cursor")
    return day, inner


def _bound(value: str | None, field: str, *, end_of_day: bool) -> datetime | None:
    """An ISO instant, or a YYYY-MM-DD day (its first or its last microsecond, UTC)."""
    if value is None:
        return None
    if len(value) == len("YYYY-MM-DD"):
        day = parse_local_date(value, field=field)
        if end_of_day:
            return datetime.combine(day, time.max, tzinfo=UTC)
        return datetime.combine(day, time.min, tzinfo=UTC)
    return parse_utc(value, field=field)


async def list_events(
    ctx: ServiceContext,
    date_from: str | None,
    date_to: str | None,
    event_type: str | None,
    limit: int | None,
    cursor: str | None = None,
) -> Page:
    """Events starting in [dateFrom, dateTo] (default: the next 30 days), soonest first.

    With a type, one query on ``EventsByType``; without, day by day over ``EventsByDate``
    (so the range is capped at 93 days), with a cursor that remembers the day.
    """
    low = _bound(date_from, "dateFrom", end_of_day=False) or ctx.clock.now()
    high = _bound(date_to, "dateTo", end_of_day=True) or low + DEFAULT_RANGE
    if high < low:
        raise RuleViolation("dateTo is before dateFrom", field="dateTo")
    between = SortKeyCondition.between(utc_iso(low), utc_iso(high))
    if event_type is not None:
        return await query_live(
            ctx,
            TABLE,
            _event_type(event_type),
            index="EventsByType",
            sk=between,
            limit=limit,
            cursor=cursor,
        )
    first, last = low.date(), high.date()
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise RuleViolation(f"list at most {MAX_RANGE_DAYS} days at a time", field="dateTo")
    wanted = clamp_limit(limit)
    day, inner = (first, None) if cursor is None else _read_day_cursor(cursor, first, last)
    items: list[Item] = []
    while day <= last:
        found, inner = await query_live(
            ctx,
            TABLE,
            day.isoformat(),
            index="EventsByDate",
            sk=between,
            limit=wanted - len(items),
            cursor=inner,
        )
        items += found
        if inner is not None:
            if len(items) >= wanted:
                return items, _day_cursor(day, inner)
            continue
        day += timedelta(days=1)
        if len(items) >= wanted:
            return items, (_day_cursor(day, None) if day <= last else None)
    return items, None


async def list_for_host(
    ctx: ServiceContext, host_id: str, limit: int | None, cursor: str | None = None
) -> Page:
    return await query_live(ctx, TABLE, host_id, index="EventsByHost", limit=limit, cursor=cursor)


async def list_for_venue(
    ctx: ServiceContext, venue_id: str, limit: int | None, cursor: str | None = None
) -> Page:
    return await query_live(ctx, TABLE, venue_id, index="EventsByVenue", limit=limit, cursor=cursor)


# -- registrations ------------------------------------------------------------------------


def _attendance_key(event_id: str, user_id: str) -> dict[str, str]:
    return {"eventId": event_id, "userId": user_id}


def _remember(ctx: ServiceContext, *, event: Item, attendance: Item | None = None) -> None:
    """Let nested fields of this response see what was just written."""
    ctx.loaders.event.clear(event["eventId"]).prime(event["eventId"], event)
    ctx.loaders.attendances_by_event.clear(event["eventId"])
    if attendance is not None:
        key = (attendance["eventId"], attendance["userId"])
        ctx.loaders.attendance.clear(key).prime(key, attendance)


@retrying
async def register(ctx: ServiceContext, event_id: str) -> Item:
    """Take a seat while one is left; registering twice returns the same registration."""
    viewer = ctx.require_viewer()
    event = await _live_event(ctx, event_id)
    if viewer.user_id == event["hostId"]:
        raise NotAllowed("the host does not register for their own event")
    if ctx.clock.now() >= starts_at(event):
        raise Conflict("the event has already started", field="eventId")
    current = await ctx.store.get(ATTENDANCES, _attendance_key(event_id, viewer.user_id))
    if is_live(current) and current is not None and current["status"] in SEAT_HOLDING:
        return current
    taken = int(event.get("currentAttendees", 0))
    check_capacity(taken, int(event["maxAttendees"]))
    changes = Changes(ctx)
    if is_live(current) and current is not None:
        attendance = changes.update(ATTENDANCES, current, {"status": "registered"})
    else:
        attendance = changes.create(
            ATTENDANCES,
            {
                **_attendance_key(event_id, viewer.user_id),
                "attendanceId": str(uuid.uuid4()),
                "status": "registered",
            },
            replacing=current,
        )
    updated = changes.update(TABLE, event, {"currentAttendees": taken + 1})
    await notify(
        changes,
        user_id=viewer.user_id,
        type="event_registered",
        title=f"You're registered: {event['title']}",
        message=ReaderText("See you on ", starts_at(event)),
        related_id=event_id,
    )
    await changes.commit()
    _remember(ctx, event=updated, attendance=attendance)
    return attendance


@retrying
async def cancel_registration(ctx: ServiceContext, event_id: str) -> Item:
    """Give the seat back, up to 24 hours before the start; cancelling twice is a no-op."""
    viewer = ctx.require_viewer()
    event = await _live_event(ctx, event_id)
    current = await ctx.store.get(ATTENDANCES, _attendance_key(event_id, viewer.user_id))
    if not is_live(current):
        raise NotFound("you are not registered for this event")
    if current["status"] == "cancelled":
        return current
    check_registration_cancellable(starts_at(event), ctx.clock.now())
    if current["status"] != "registered":
        raise Conflict(f"a registration marked {current['status']} cannot be cancelled")
    changes = Changes(ctx)
    attendance = changes.update(ATTENDANCES, current, {"status": "cancelled"})
    taken = max(0, int(event.get("currentAttendees", 0)) - 1)
    updated = changes.update(TABLE, event, {"currentAttendees": taken})
    await changes.commit()
    _remember(ctx, event=updated, attendance=attendance)
    return attendance


@retrying
async def mark_attendance(ctx: ServiceContext, event_id: str, user_id: str, status: str) -> Item:
    """The host or an admin records attended / no_show once the event has started."""
    viewer = ctx.require_viewer()
    event = await _live_event(ctx, event_id)
    access.require_event_host_or_admin(viewer, event)
    if status not in MARKABLE:
        raise RuleViolation("mark attended or no_show", field="status")
    if ctx.clock.now() < starts_at(event):
        raise Conflict("attendance is marked once the event has started")
    current = await ctx.store.get(ATTENDANCES, _attendance_key(event_id, user_id))
    if not is_live(current):
        raise NotFound("this user is not registered for the event", field="userId")
    if current["status"] == "cancelled":
        raise Conflict("this registration was cancelled")
    if current["status"] == status:
        return current
    changes = Changes(ctx)
    attendance = changes.update(ATTENDANCES, current, {"status": status})
    await changes.commit()
    _remember(ctx, event=event, attendance=attendance)
    return attendance


async def list_attendances(ctx: ServiceContext, event_id: str, limit: int | None) -> list[Item]:
    """Every registration of the event (any status): its host and admins only."""
    viewer = ctx.require_viewer()
    event = await ctx.loaders.event.load(event_id)
    if event is None:
        raise NotFound("no such event")
    access.require_event_host_or_admin(viewer, event)
    items, _ = await query_live(ctx, ATTENDANCES, event_id, limit=limit)
    return items


async def list_attendances_for_user(
    ctx: ServiceContext, user_id: str, limit: int | None
) -> list[Item]:
    """The caller's own registrations, newest first."""
    viewer = ctx.require_viewer()
    access.require_own_registrations(viewer, user_id)
    items, _ = await query_live(
        ctx, ATTENDANCES, user_id, index="AttendancesByUser", ascending=False, limit=limit
    )
    return items


async def get_attendance(ctx: ServiceContext, event_id: str, user_id: str) -> Item | None:
    viewer = ctx.require_viewer()
    if viewer.user_id != user_id and not viewer.is_admin:
        access.require_attendance_reader(viewer, user_id, await ctx.loaders.event.load(event_id))
    result: Item | None = await ctx.loaders.attendance.load((event_id, user_id))
    return result


# -- nested fields ------------------------------------------------------------------------


async def _own_attendance(ctx: ServiceContext, viewer: Viewer, event: Item) -> Item | None:
    result: Item | None = await ctx.loaders.attendance.load((event["eventId"], viewer.user_id))
    return result


async def attendances_of(ctx: ServiceContext, event: Item) -> list[Item]:
    """``Event.attendances``: all of them for the host and admins, else the caller's own."""
    viewer = ctx.viewer
    if viewer is None:
        return []
    if access.is_event_host_or_admin(viewer, event):
        items: list[Item] = await ctx.loaders.attendances_by_event.load(event["eventId"])
        return items
    own = await _own_attendance(ctx, viewer, event)
    return [] if own is None else [own]


async def meeting_link_of(ctx: ServiceContext, event: Item) -> str | None:
    """``Event.meetingLink``: for the host, admins and attendees holding a seat."""
    link = event.get("meetingLink")
    viewer = ctx.viewer
    if link is None or viewer is None:
        return None
    attendance = None
    if not access.is_event_host_or_admin(viewer, event):
        attendance = await _own_attendance(ctx, viewer, event)
    return str(link) if access.can_see_meeting_link(viewer, event, attendance) else None
