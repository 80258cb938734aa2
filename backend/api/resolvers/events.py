"""Events and registrations: thin resolvers that call ``services.events``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import events, profiles
from ...storage.items import Item
from ..context import Info, ctx_of
from ..pages import page_payload

query = QueryType()
mutation = MutationType()
event_type = ObjectType("Event")
attendance_type = ObjectType("EventAttendance")


@query.field("getEvent")
async def resolve_get_event(_: Any, info: Info, eventId: str) -> Item | None:
    return await events.get_event(ctx_of(info), eventId)


@query.field("listEvents")
async def resolve_list_events(
    _: Any,
    info: Info,
    dateFrom: str | None = None,
    dateTo: str | None = None,
    type: str | None = None,
    limit: int | None = None,
) -> list[Item]:
    items, _cursor = await events.list_events(ctx_of(info), dateFrom, dateTo, type, limit)
    return items


@query.field("listEventsPage")
async def resolve_list_events_page(
    _: Any,
    info: Info,
    dateFrom: str | None = None,
    dateTo: str | None = None,
    type: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    return page_payload(
        await events.list_events(ctx_of(info), dateFrom, dateTo, type, limit, cursor)
    )


@query.field("listEventsForHost")
async def resolve_list_events_for_host(
    _: Any, info: Info, hostId: str, limit: int | None = None
) -> list[Item]:
    items, _cursor = await events.list_for_host(ctx_of(info), hostId, limit)
    return items


@query.field("listEventsForHostPage")
async def resolve_list_events_for_host_page(
    _: Any, info: Info, hostId: str, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    return page_payload(await events.list_for_host(ctx_of(info), hostId, limit, cursor))


@query.field("listEventsForVenue")
async def resolve_list_events_for_venue(
    _: Any, info: Info, venueId: str, limit: int | None = None
) -> list[Item]:
    items, _cursor = await events.list_for_venue(ctx_of(info), venueId, limit)
    return items


@query.field("listEventsForVenuePage")
async def resolve_list_events_for_venue_page(
    _: Any, info: Info, venueId: str, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    return page_payload(await events.list_for_venue(ctx_of(info), venueId, limit, cursor))


@query.field("listEventAttendances")
async def resolve_list_event_attendances(
    _: Any, info: Info, eventId: str, limit: int | None = None
) -> list[Item]:
    return await events.list_attendances(ctx_of(info), eventId, limit)


@query.field("listAttendancesForUser")
async def resolve_list_attendances_for_user(
    _: Any, info: Info, userId: str, limit: int | None = None
) -> list[Item]:
    return await events.list_attendances_for_user(ctx_of(info), userId, limit)


@query.field("getEventAttendance")
async def resolve_get_event_attendance(
    _: Any, info: Info, eventId: str, userId: str
) -> Item | None:
    return await events.get_attendance(ctx_of(info), eventId, userId)


@mutation.field("createEvent")
async def resolve_create_event(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await events.create_event(ctx_of(info), input)


@mutation.field("updateEvent")
async def resolve_update_event(_: Any, info: Info, eventId: str, input: dict[str, Any]) -> Item:
    return await events.update_event(ctx_of(info), eventId, input)


@mutation.field("setEventMeetingLink")
async def resolve_set_event_meeting_link(
    _: Any, info: Info, eventId: str, meetingLink: str
) -> Item:
    return await events.set_meeting_link(ctx_of(info), eventId, meetingLink)


@mutation.field("registerForEvent")
async def resolve_register_for_event(_: Any, info: Info, eventId: str) -> Item:
    return await events.register(ctx_of(info), eventId)


@mutation.field("cancelEventRegistration")
async def resolve_cancel_event_registration(_: Any, info: Info, eventId: str) -> Item:
    return await events.cancel_registration(ctx_of(info), eventId)


@mutation.field("markEventAttendance")
async def resolve_mark_event_attendance(
    _: Any, info: Info, eventId: str, userId: str, status: str
) -> Item:
    return await events.mark_attendance(ctx_of(info), eventId, userId, status)


@event_type.field("venue")
async def resolve_event_venue(event: Item, info: Info) -> Item | None:
    ctx = ctx_of(info)
    return await ctx.loaders.load(ctx.loaders.venue, event.get("venueId"))


@event_type.field("host")
async def resolve_event_host(event: Item, info: Info) -> Item | None:
    """Events are public; a mentee host is the placeholder for a signed-out caller."""
    ctx = ctx_of(info)
    return profiles.shown_user(ctx, await ctx.loaders.user.load(event["hostId"]))


@event_type.field("attendances")
async def resolve_event_attendances(event: Item, info: Info) -> list[Item]:
    return await events.attendances_of(ctx_of(info), event)


@event_type.field("meetingLink")
async def resolve_event_meeting_link(event: Item, info: Info) -> str | None:
    return await events.meeting_link_of(ctx_of(info), event)


@event_type.field("currentAttendees")
def resolve_event_current_attendees(event: Item, _: Info) -> int:
    return int(event.get("currentAttendees") or 0)


@event_type.field("price")
def resolve_event_price(event: Item, _: Info) -> float:
    return float(event.get("price") or 0)


@event_type.field("tags")
def resolve_event_tags(event: Item, _: Info) -> list[str]:
    return list(event.get("tags") or [])


@attendance_type.field("event")
async def resolve_attendance_event(attendance: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.event.load(attendance["eventId"])


@attendance_type.field("user")
async def resolve_attendance_user(attendance: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(attendance["userId"])


bindables = [query, mutation, event_type, attendance_type]
