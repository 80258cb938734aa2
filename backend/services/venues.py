"""Venues: partner locations for in-person sessions, readable by anyone, managed by admins.

An admin can switch a venue off (``isActive`` false, our addition to the spec): it stays
listed, with the flag, but takes no new bookings (``domain.sessions``).

``listVenues`` answers from one index and filters the rest in memory: ``VenuesByCity`` when a
city is given, else ``VenuesByType``, else ``VenuesByPartner``. With no filter at all it reads
both ``VenuesByPartner`` partitions and merges them, so every list comes back by name. The
index key ``partnerStatus`` is derived from ``isPartner`` by storage.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

from domain.choices import parse_choice
from domain.errors import RuleViolation
from domain.pricing import PartnershipTier, tier_discount_percent, validate_discount_percentage
from domain.text import check_text_length, require_text

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .ids import given_or_new_id, is_uuid
from .loaders import is_live
from .pages import clamp_limit, query_live
from .writes import Changes, retrying

VENUE_TYPES = ("library", "co_working", "cafe", "community_center")
DEFAULT_COUNTRY = "USA"
MAX_AMENITIES = 50
_REQUIRED_TEXTS = {"name": 200, "address": 300, "city": 120}
_OPTIONAL_TEXTS = {"state": 120, "zipCode": 20, "country": 120, "image": 2048}
_NOT_CLEARABLE = (
    "name",
    "type",
    "address",
    "city",
    "country",
    "capacity",
    "amenities",
    "isActive",
)


def _text_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The validated text fields present in ``data`` (``None`` for an optional one clears it)."""
    out: dict[str, Any] = {}
    for name, limit in _REQUIRED_TEXTS.items():
        if name in data:
            out[name] = require_text(data[name], field=name, max_length=limit).strip()
    for name, limit in _OPTIONAL_TEXTS.items():
        if name in data:
            check_text_length(data[name], field=name, max_length=limit)
            value = data[name].strip() if isinstance(data[name], str) else None
            out[name] = value or None
    return out


def _other_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("type") is not None:
        if data["type"] not in VENUE_TYPES:
            raise RuleViolation(f"{data['type']!r} is not a venue type", field="type")
        out["type"] = data["type"]
    if data.get("capacity") is not None:
        if data["capacity"] < 1:
            raise RuleViolation("capacity must be at least 1", field="capacity")
        out["capacity"] = data["capacity"]
    if data.get("amenities") is not None:
        amenities: list[str] = []
        for amenity in data["amenities"]:
            text = require_text(amenity, field="amenities", max_length=100).strip()
            if text not in amenities:
                amenities.append(text)
        if len(amenities) > MAX_AMENITIES:
            raise RuleViolation(f"at most {MAX_AMENITIES} amenities", field="amenities")
        out["amenities"] = amenities
    if data.get("discountPercentage") is not None:
        validate_discount_percentage(data["discountPercentage"])
        out["discountPercentage"] = data["discountPercentage"]
    if data.get("isActive") is not None:
        out["isActive"] = bool(data["isActive"])
    return out


def _partnership(current: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``isPartner``, ``partnershipTier`` and ``discountPercentage`` after applying ``data``.

    A tier belongs to partners only; a discount, too. Leaving the partnership clears both;
    a tier change without a discount, or a cleared discount, means the tier's default.
    """
    sent_partner = data.get("isPartner")
    is_partner = bool(current.get("isPartner") if sent_partner is None else sent_partner)
    if "partnershipTier" in data:
        tier = data["partnershipTier"]
    elif data.get("isPartner") is False:
        tier = None
    else:
        tier = current.get("partnershipTier")
    if tier is not None:
        tier = parse_choice(PartnershipTier, tier, "partnershipTier").value
        if not is_partner:
            raise RuleViolation(
                "only a partner venue has a partnership tier", field="partnershipTier"
            )
    if data.get("discountPercentage") is not None:
        discount = int(data["discountPercentage"])
    elif data.get("isPartner") is False:
        discount = 0
    elif "partnershipTier" in data or "discountPercentage" in data or not current:
        discount = tier_discount_percent(tier) if tier is not None else 0
    else:
        discount = int(current.get("discountPercentage") or 0)
    if discount and not is_partner:
        raise RuleViolation("only a partner venue gives a discount", field="discountPercentage")
    return {"isPartner": is_partner, "partnershipTier": tier, "discountPercentage": discount}


@retrying
async def create_venue(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    access.require_admin(ctx.require_viewer())
    fields = {**_text_fields(data), **_other_fields(data)}
    for name in ("name", "type", "address", "city", "capacity"):
        if name not in fields:
            raise RuleViolation("is required", field=name)
    venue = {
        "venueId": given_or_new_id(None, "venueId"),
        "country": DEFAULT_COUNTRY,
        "amenities": [],
        "isActive": True,
        **{k: v for k, v in fields.items() if v is not None},
        **_partnership({}, data),
    }
    changes = Changes(ctx)
    created = changes.create(Table.VENUES, venue)
    await changes.commit()
    return created


@retrying
async def update_venue(ctx: ServiceContext, venue_id: str, data: Mapping[str, Any]) -> Item:
    access.require_admin(ctx.require_viewer())
    for name in _NOT_CLEARABLE:
        if name in data and data[name] is None:
            raise RuleViolation("cannot be cleared", field=name)
    fields = {**_text_fields(data), **_other_fields(data)}
    current = await _require_venue(ctx, venue_id)
    fields.update(_partnership(current, data))
    if "country" in fields and fields["country"] is None:
        raise RuleViolation("cannot be cleared", field="country")
    changes = Changes(ctx)
    venue = changes.update(Table.VENUES, current, fields)
    await changes.commit()
    return venue


async def _require_venue(ctx: ServiceContext, venue_id: str) -> Item:
    current = (
        await ctx.store.get(Table.VENUES, {"venueId": venue_id}) if is_uuid(venue_id) else None
    )
    if not is_live(current):
        raise NotFound("no such venue")
    return current


async def get_venue(ctx: ServiceContext, venue_id: str) -> Item | None:
    """Anyone, signed in or not: venues are public places."""
    return await ctx.loaders.venue.load(venue_id) if is_uuid(venue_id) else None


async def list_venues(
    ctx: ServiceContext,
    *,
    city: str | None = None,
    venue_type: str | None = None,
    is_partner: bool | None = None,
    limit: int | None = None,
) -> list[Item]:
    """Venues matching every filter given, by name (anyone may list them)."""
    wanted = clamp_limit(limit)

    def keep(venue: Item) -> bool:
        return (
            (city is None or venue.get("city") == city)
            and (venue_type is None or venue.get("type") == venue_type)
            and (is_partner is None or bool(venue.get("isPartner")) == is_partner)
        )

    if city is not None:
        partitions = [("VenuesByCity", city)]
    elif venue_type is not None:
        partitions = [("VenuesByType", venue_type)]
    elif is_partner is not None:
        partitions = [("VenuesByPartner", "partner" if is_partner else "non_partner")]
    else:
        partitions = [("VenuesByPartner", "partner"), ("VenuesByPartner", "non_partner")]
    found = []
    for index, pk in partitions:
        items, _ = await query_live(ctx, Table.VENUES, pk, index=index, limit=wanted, keep=keep)
        found.append(items)
    merged = heapq.merge(*found, key=lambda venue: str(venue["name"]))
    return list(merged)[:wanted]
