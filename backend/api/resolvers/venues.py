"""Venues: thin resolvers over ``services.venues``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from domain.sessions import venue_takes_bookings

from ...services import venues
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
venue_type = ObjectType("Venue")


@query.field("getVenue")
async def resolve_get_venue(_: Any, info: Info, venueId: str) -> Item | None:
    return await venues.get_venue(ctx_of(info), venueId)


@query.field("listVenues")
async def resolve_list_venues(
    _: Any,
    info: Info,
    city: str | None = None,
    type: str | None = None,
    isPartner: bool | None = None,
    limit: int | None = None,
) -> list[Item]:
    return await venues.list_venues(
        ctx_of(info), city=city, venue_type=type, is_partner=isPartner, limit=limit
    )


@mutation.field("createVenue")
async def resolve_create_venue(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await venues.create_venue(ctx_of(info), input)


@mutation.field("updateVenue")
async def resolve_update_venue(_: Any, info: Info, venueId: str, input: dict[str, Any]) -> Item:
    return await venues.update_venue(ctx_of(info), venueId, input)


@venue_type.field("isActive")
def resolve_venue_is_active(venue: Item, _: Info) -> bool:
    """A venue stored before the field existed is active."""
    return venue_takes_bookings(venue)


bindables = [query, mutation, venue_type]
