"""Find a mentor and book a session, on the device.

The directory is what the device holds: the mentors' public profiles a pull brought, plus the
last directory fetched online (kept in a device setting with the time it was fetched), so it
stays browsable offline. Filtering happens here. The price shown is ``domain.pricing``'s, the
same function the server charges with. A booking is the store's queued ``request_session``:
PENDING until the server confirms the slot or refuses it (then a sync issue says why).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from domain.choices import parse_choice
from domain.clock import parse_local_date, parse_utc, utc_iso
from domain.errors import RuleViolation
from domain.pricing import session_price
from domain.sessions import (
    SessionType,
    check_session_in_future,
    check_venue_takes_bookings,
    parse_clock_time,
    validate_session_request,
    venue_takes_bookings,
)
from sync import Entity

from . import online
from .context import UserContext

DIRECTORY_SETTING = "mentor_directory"
"""Device setting: ``{"fetchedAt": <UTC ISO>, "mentors": [<User item>, ...]}``."""
MENTOR_ROLES = frozenset({"MENTOR", "BOTH"})
DEFAULT_DURATION = 60
MEETING_LINK_BASE = "https://meet.growlink.app/"


@dataclass(frozen=True)
class Mentor:
    mentor_id: str
    name: str
    title: str
    bio: str
    skills: tuple[str, ...]
    interests: tuple[str, ...]
    categories: tuple[str, ...]
    rating: float
    verified: bool
    tier: str
    total_sessions: int


@dataclass(frozen=True)
class Venue:
    venue_id: str
    name: str
    city: str
    kind: str
    is_partner: bool
    partnership_tier: str | None
    discount_percentage: int | None


@dataclass(frozen=True)
class Directory:
    mentors: tuple[Mentor, ...]
    """Those matching the filters, verified and best rated first."""
    fetched_at: str | None
    """When the directory was last fetched online (UTC ISO), ``None`` if never."""
    categories: tuple[str, ...]
    interests: tuple[str, ...]
    skills: tuple[str, ...]
    """Every value the unfiltered directory offers, for the filter drop-downs."""


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = []
    for item in value:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            names.append(item["name"])
    return tuple(names)


def _mentor(item: Mapping[str, Any]) -> Mentor:
    return Mentor(
        mentor_id=str(item["userId"]),
        name=str(item.get("name") or item.get("username") or "Mentor"),
        title=str(item.get("title") or ""),
        bio=str(item.get("bio") or ""),
        skills=_strings(item.get("skills")),
        interests=_strings(item.get("interests")),
        categories=_strings(item.get("mentorshipCategories")),
        rating=float(item.get("rating") or 0.0),
        verified=bool(item.get("verified")),
        tier=str(item.get("membershipTier") or "standard"),
        total_sessions=int(item.get("totalSessions") or 0),
    )


def cache_directory(user: UserContext, items: Iterable[Mapping[str, Any]]) -> None:
    """Keep a directory fetched online (``User`` items), stamped with the clock's now."""
    mentors = [dict(item) for item in items if item.get("role") in MENTOR_ROLES]
    user.store.put_setting(
        DIRECTORY_SETTING, {"fetchedAt": utc_iso(user.clock.now()), "mentors": mentors}
    )


def _all_mentors(user: UserContext) -> tuple[dict[str, Mentor], str | None]:
    cached = user.store.setting(DIRECTORY_SETTING) or {}
    by_id: dict[str, Mentor] = {}
    for item in cached.get("mentors", []):
        by_id[str(item["userId"])] = _mentor(item)
    for item in user.store.query(Entity.USER):  # synced profiles are newer than the cache
        if item.get("role") in MENTOR_ROLES and item.get("userId") != user.user_id:
            by_id[str(item["userId"])] = _mentor(item)
    return by_id, cached.get("fetchedAt")


def _has(values: Sequence[str], wanted: str | None) -> bool:
    return not wanted or wanted.casefold() in (v.casefold() for v in values)


def load_directory(
    user: UserContext,
    *,
    category: str | None = None,
    interest: str | None = None,
    skill: str | None = None,
) -> Directory:
    """The mentors on this device matching every filter given (case-insensitive, exact value)."""
    by_id, fetched_at = _all_mentors(user)
    everyone = list(by_id.values())
    chosen = [
        m
        for m in everyone
        if _has(m.categories, category) and _has(m.interests, interest) and _has(m.skills, skill)
    ]
    chosen.sort(key=lambda m: (not m.verified, -m.rating, m.name.casefold()))

    def values(pick: str) -> tuple[str, ...]:
        return tuple(sorted({v for m in everyone for v in getattr(m, pick)}, key=str.casefold))

    return Directory(
        mentors=tuple(chosen),
        fetched_at=fetched_at,
        categories=values("categories"),
        interests=values("interests"),
        skills=values("skills"),
    )


def find_mentor(user: UserContext, mentor_id: str) -> Mentor | None:
    return _all_mentors(user)[0].get(mentor_id)


def load_venues(user: UserContext, city: str | None = None) -> tuple[Venue, ...]:
    """Venues synced to the device (public data) that take bookings, in ``city`` if given,
    partners first."""
    venues = [
        Venue(
            venue_id=str(row["venueId"]),
            name=str(row.get("name") or "Venue"),
            city=str(row.get("city") or ""),
            kind=str(row.get("type") or ""),
            is_partner=bool(row.get("isPartner")),
            partnership_tier=row.get("partnershipTier"),
            discount_percentage=row.get("discountPercentage"),
        )
        for row in user.store.query(Entity.VENUE)
        if venue_takes_bookings(row)
    ]
    if city:
        venues = [v for v in venues if v.city.casefold() == city.casefold()]
    return tuple(sorted(venues, key=lambda v: (not v.is_partner, v.city, v.name)))


def venue_cities(user: UserContext) -> tuple[str, ...]:
    return tuple(sorted({v.city for v in load_venues(user) if v.city}, key=str.casefold))


def quote(
    mentor: Mentor, session_type: str, venue: Venue | None, duration: int = DEFAULT_DURATION
) -> float:
    """The final price, exactly as the server will charge it (``domain.pricing``)."""
    in_person = parse_choice(SessionType, session_type, "type") is SessionType.IN_PERSON
    return session_price(
        membership_tier=mentor.tier,
        duration_minutes=duration,
        session_type=session_type,
        venue_is_partner=bool(venue and in_person and venue.is_partner),
        partnership_tier=venue.partnership_tier if venue and in_person else None,
        venue_discount_percentage=venue.discount_percentage if venue and in_person else None,
    )


def local_start_to_utc(date_text: str, time_text: str, time_zone: str) -> dt.datetime:
    """The instant of a local date and "HH:MM" in the user's zone (the server keeps UTC)."""
    day = parse_local_date(date_text, field="date")
    clock_time = parse_clock_time(time_text)
    local = dt.datetime.combine(day, clock_time, tzinfo=ZoneInfo(time_zone))
    return local.astimezone(dt.UTC)


def book_session(
    user: UserContext,
    mentor_id: str,
    *,
    session_type: str,
    date: str,
    time: str,
    venue_id: str | None = None,
    duration: int = DEFAULT_DURATION,
    topic: str | None = None,
) -> dict[str, Any]:
    """Queue a booking request; every rule the device can check is checked first, so a
    refused booking writes nothing. Date and time are the user's local ones."""
    mentor = find_mentor(user, mentor_id)
    if mentor is None:
        raise RuleViolation("choose a mentor from the directory", field="mentorId")
    kind = parse_choice(SessionType, session_type, "type")
    starts = local_start_to_utc(date, time, user.time_zone)
    check_session_in_future(starts, user.clock.now())
    venue = None
    if kind is SessionType.IN_PERSON:
        row = user.store.get(Entity.VENUE, {"venueId": venue_id}) if venue_id else None
        if row is not None:
            check_venue_takes_bookings(row)
        venue = next((v for v in load_venues(user) if v.venue_id == venue_id), None)
        if venue is None:
            raise RuleViolation("an in-person session needs a venue", field="venueId")
    quote(mentor, kind.value, venue, duration)  # checks the duration with the pricing rules
    session_id = str(uuid.uuid4())
    link = MEETING_LINK_BASE + session_id if kind is SessionType.VIRTUAL else None
    validate_session_request(kind.value, venue_id if venue else None, link)
    return user.store.request_session(
        mentor_id,
        type=kind.value,
        date=starts.date().isoformat(),
        time=starts.strftime("%H:%M"),
        duration=duration,
        venue_id=venue.venue_id if venue else None,
        topic=(topic or "").strip() or None,
        meeting_link=link,
        session_id=session_id,
    )


def fetched_label(fetched_at: str | None, time_zone: str) -> str:
    """ "Fetched Tue 24 Nov, 09:30" in the user's zone, or a hint that it never was."""
    if not fetched_at:
        return "Not fetched online yet"
    local = parse_utc(fetched_at).astimezone(ZoneInfo(time_zone))
    return f"Fetched {local:%a %-d %b, %H:%M}"


async def refresh_directory(user: UserContext) -> int:
    """Fetch every mentor's public profile online and keep it on the device; how many.
    ``online.Unreachable`` offline: the last directory stays, with its time."""
    items = await online.signed_in(user.store, online.fetch_mentors)
    cache_directory(user, items)
    return len(items)


def default_city(user: UserContext) -> str:
    """The city a booking starts in: the user's own (profile ``location``) when a venue is
    there, else the first city with a venue ("" when there is none)."""
    cities = venue_cities(user)
    me = user.store.get(Entity.USER, {"userId": user.user_id}) or {}
    location = str(me.get("location") or "").casefold()
    mine = [c for c in cities if c.casefold() in location] if location else []
    return (mine or list(cities) or [""])[0]
