"""Events on the device: one event's details (time in the user's zone, venue, capacity, places
left, the 24-hour cancellation cut-off) and my registrations, coming and past; the screens with
no client."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.state.context import ScreenContext, UserContext
from app.state.events import load_event, load_events
from app.views.events import EventsScreen
from sync import Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import VENUES, from_server


def event(event_id: str, date: str, time: str, **extra: Any) -> dict[str, Any]:
    """An ``EVENT`` as the public feed brings it: a 90-minute workshop at the Lisbon Hub."""
    return {
        "eventId": event_id,
        "title": f"Workshop {event_id}",
        "description": "Tiny habits, together",
        "type": "workshop",
        "venueId": "v-gold",
        "date": date,
        "time": time,
        "duration": 90,
        "maxAttendees": 20,
        "currentAttendees": 3,
        "isVirtual": False,
        "price": 0,
        **extra,
    }


def registered(*event_ids: str, status: str = "registered") -> list[dict[str, Any]]:
    return [{"eventId": e, "userId": USER, "status": status} for e in event_ids]


def seed(user: UserContext) -> None:
    """Now is Tue 24 Nov 09:30 UTC (Lisbon is UTC in November)."""
    from_server(user.store, Entity.VENUE, *VENUES)
    from_server(
        user.store,
        Entity.EVENT,
        event("e-soon", "2026-11-25", "08:00"),  # in 22.5 hours: too late to cancel
        event("e-later", "2026-11-28", "23:00"),  # ends the next day
        event("e-past", "2026-11-20", "18:00"),
        event("e-online", "2026-11-27", "18:00", isVirtual=True, venueId=None, price=5),
        event("e-dropped", "2026-11-29", "10:00"),
    )
    from_server(
        user.store,
        Entity.EVENT_ATTENDANCE,
        *registered("e-soon", "e-later", "e-past"),
        *registered("e-dropped", status="cancelled"),
    )


def test_an_events_details_in_the_users_zone_with_venue_places_and_cut_off(user: UserContext):
    seed(user)
    later = load_event(user, "e-later")
    assert later is not None
    assert (later.when_label, later.ends_label) == ("Sat 28 Nov, 23:00", "Sun 29 Nov, 00:30")
    assert later.venue == "Lisbon Hub, Lisbon"
    assert (later.capacity, later.places_left) == (20, 17)
    assert later.registered and later.cancellable
    soon = load_event(user, "e-soon")
    assert soon is not None and soon.ends_label == "09:30"
    assert soon.registered and not soon.cancellable  # under 24 hours to go
    online_event = load_event(user, "e-online")
    assert online_event is not None and online_event.venue == "" and not online_event.registered
    assert load_event(user, "e-missing") is None


def test_my_registrations_coming_soonest_first_and_past_latest_first(user: UserContext):
    seed(user)
    model = load_events(user)
    assert [e.event_id for e in model.mine] == ["e-soon", "e-later"]
    assert [e.event_id for e in model.mine_past] == ["e-past"]
    assert [e.event_id for e in model.events] == ["e-soon", "e-online", "e-later", "e-dropped"]
    dropped = load_event(user, "e-dropped")
    assert dropped is not None and not dropped.registered  # a cancelled one is not mine


async def test_an_event_opens_to_its_details_and_back(fake_page: FakePage, screen: ScreenContext):
    seed(screen.user)
    told: list[str] = []
    fake_page.render(lambda: EventsScreen(replace(screen, notify=told.append)))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("event-e-online"))
    assert fake_page.by_id("event-details-title")
    assert fake_page.by_id("event-details-where").label == "Online"
    assert fake_page.by_id("event-details-places").label == "20 places · 17 places left"
    assert fake_page.by_id("event-details-when").label == (
        "Fri 27 Nov, 18:00 to 19:30, Europe/Lisbon time"
    )
    assert "Tiny habits, together" in fake_page.texts()
    await fake_page.click(fake_page.by_id("event-register-e-online"))
    await fake_page.settle(0.5)
    assert told and told[-1].startswith("You are offline: registering needs a connection")
    assert fake_page.by_id("event-details-title")  # still on the details
    await fake_page.click(fake_page.by_id("event-back"))
    assert fake_page.by_id("events-title")
    assert not fake_page.find(lambda c: getattr(c, "identifier", None) == "event-details-title")


async def test_cancelling_closes_24_hours_before_in_the_details(
    fake_page: FakePage, screen: ScreenContext
):
    seed(screen.user)
    fake_page.render(lambda: EventsScreen(screen))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("event-e-soon"))
    assert fake_page.by_id("event-details-where").label == "Lisbon Hub, Lisbon"
    assert fake_page.by_id("event-cancel-e-soon").content.disabled
    assert "You are registered. Cancelling closed 24 hours before the start." in (fake_page.texts())
    await fake_page.click(fake_page.by_id("event-back"))
    await fake_page.click(fake_page.by_id("event-e-later"))
    assert not fake_page.by_id("event-cancel-e-later").content.disabled


async def test_my_registrations_list(fake_page: FakePage, screen: ScreenContext):
    seed(screen.user)
    fake_page.render(lambda: EventsScreen(screen))
    await fake_page.settle()
    assert fake_page.by_id("events-show-mine").label == "My registrations (2)"
    await fake_page.click(fake_page.by_id("events-show-mine"))
    assert fake_page.by_id("events-show-mine").selected
    shown = [
        c.identifier
        for c in fake_page.controls()
        if isinstance(getattr(c, "identifier", None), str) and c.identifier.startswith("event-e")
    ]
    assert shown == ["event-e-soon", "event-e-later", "event-e-past"]
    assert "Past" in fake_page.texts()
    await fake_page.click(fake_page.by_id("events-show-all"))
    assert fake_page.by_id("event-e-online")


async def test_no_registration_says_where_to_find_events(
    fake_page: FakePage, screen: ScreenContext
):
    fake_page.render(lambda: EventsScreen(screen))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("events-show-mine"))
    assert "No registration yet" in fake_page.texts()
