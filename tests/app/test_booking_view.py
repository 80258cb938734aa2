"""Find a mentor, Sessions and Events screens with no client: filter, open a profile, book in
person with the domain's price, and see the request queued in My sessions."""

from __future__ import annotations

from dataclasses import replace

from app.state.booking import cache_directory
from app.state.context import ScreenContext
from app.state.sessions import QUEUED_WORDS, load_sessions
from app.views.booking import MentorsScreen
from app.views.events import EventsScreen
from app.views.sessions import SessionsScreen
from sync import Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import VENUES, from_server, mentor


def seed(screen: ScreenContext) -> None:
    cache_directory(
        screen.user,
        [mentor("m-bea", "Bea", skills=["Design"], verified=True), mentor("m-carl", "Carl")],
    )
    from_server(screen.user.store, Entity.VENUE, *VENUES)


async def test_filter_open_profile_and_book_in_person(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    seed(screen)
    told: list[str] = []
    went: list[str] = []
    ctx = replace(screen, notify=told.append, navigate=went.append)
    fake_page.render(lambda: MentorsScreen(ctx))
    await fake_page.settle()
    assert "Fetched Tue 24 Nov, 09:30" in fake_page.texts()
    await fake_page.select(fake_page.by_id("filter-skill"), "Design")
    assert not fake_page.find(lambda c: getattr(c, "identifier", None) == "mentor-card-m-carl")
    await fake_page.click(fake_page.by_id("mentor-card-m-bea"))
    await fake_page.click(fake_page.by_id("book-open"))
    assert fake_page.by_id("book-price").label == "80.00"
    await fake_page.click(fake_page.by_id("book-type-in_person"))
    await fake_page.select(fake_page.by_id("book-city"), "Lisbon")
    await fake_page.click(fake_page.by_id("book-venue-v-gold"))
    assert fake_page.by_id("book-price").label == "39.20"
    await fake_page.type_into(fake_page.by_id("book-date"), "2026-11-26")
    await fake_page.type_into(fake_page.by_id("book-time"), "15:00")
    await fake_page.click(fake_page.by_id("book-confirm"))
    (row,) = screen.user.store.query(Entity.SESSION)
    assert (row["venueId"], row["date"], row["time"], row["_pending"]) == (
        "v-gold",
        "2026-11-26",
        "15:00",
        True,
    )
    assert went == ["/sessions"]


async def test_a_refused_booking_says_why_and_writes_nothing(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    seed(screen)
    fake_page.render(lambda: MentorsScreen(screen))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("mentor-card-m-carl"))
    await fake_page.click(fake_page.by_id("book-open"))
    await fake_page.click(fake_page.by_id("book-type-in_person"))
    await fake_page.click(fake_page.by_id("book-confirm"))
    assert "An in-person session needs a venue" in fake_page.texts()
    assert screen.user.store.status().pending == 0


async def test_sessions_screen_shows_a_queued_request(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    seed(screen)
    screen.user.store.request_session(
        "m-bea",
        type="virtual",
        date="2026-11-25",
        time="08:00",
        duration=60,
        meeting_link="https://meet.example/x",
        session_id="s-1",
    )
    fake_page.render(lambda: SessionsScreen(screen))
    await fake_page.settle()
    card = fake_page.by_id("session-s-1")
    assert QUEUED_WORDS in card.label and "Wed 25 Nov, 08:00" in card.label


async def test_events_list_places_and_registration(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    from_server(
        screen.user.store,
        Entity.EVENT,
        {
            "eventId": "e-1",
            "title": "Morning run club",
            "description": "5 km easy",
            "type": "hangout",
            "date": "2026-11-28",
            "time": "08:00",
            "duration": 60,
            "maxAttendees": 10,
            "currentAttendees": 10,
            "isVirtual": False,
            "price": 0,
        },
        {
            "eventId": "e-2",
            "title": "Habits workshop",
            "description": "Tiny habits",
            "type": "workshop",
            "date": "2026-11-27",
            "time": "18:00",
            "duration": 90,
            "maxAttendees": 20,
            "currentAttendees": 3,
            "isVirtual": True,
            "price": 5,
        },
    )
    from_server(
        screen.user.store,
        Entity.EVENT_ATTENDANCE,
        {"eventId": "e-2", "userId": USER, "status": "registered"},
    )
    fake_page.render(lambda: EventsScreen(screen))
    await fake_page.settle()
    assert "Full" in fake_page.by_id("event-e-1").label
    assert fake_page.by_id("event-e-2").label.endswith("registered")
    assert fake_page.by_id("event-register-e-1") and fake_page.by_id("event-cancel-e-2")
    await fake_page.select(fake_page.by_id("events-type"), "workshop")
    assert not fake_page.find(lambda c: getattr(c, "identifier", None) == "event-e-1")


async def test_register_and_cancel_offline_say_so(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    from_server(
        screen.user.store,
        Entity.EVENT,
        {
            "eventId": "e-3",
            "title": "Habits workshop",
            "type": "workshop",
            "date": "2026-11-27",
            "time": "18:00",
            "maxAttendees": 20,
            "currentAttendees": 3,
        },
    )
    told: list[str] = []
    ctx = replace(screen, notify=told.append)
    fake_page.render(lambda: EventsScreen(ctx))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("event-register-e-3"))
    await fake_page.settle(0.5)
    assert told and told[-1].startswith("You are offline")


async def test_feedback_in_its_window_keeps_the_draft_offline(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    from_server(
        screen.user.store,
        Entity.SESSION,
        {
            "sessionId": "s-done",
            "mentorId": "m-bea",
            "menteeId": USER,
            "type": "virtual",
            "date": "2026-11-22",
            "time": "09:00",
            "duration": 60,
            "status": "COMPLETED",
            "completedAt": "2026-11-22T10:00:00.000000Z",
        },
    )
    fake_page.render(lambda: SessionsScreen(screen))
    await fake_page.settle()
    prefix = "session-feedback-s-done"
    await fake_page.click(fake_page.by_id(f"{prefix}-send"))
    assert "growthArea: must not be empty" in fake_page.texts()
    for suffix, text in (
        ("growth-area", "Delegation"),
        ("growth-idea", "Hand off one task"),
        ("went-well", "Clear plan"),
        ("improve", "More time"),
    ):
        await fake_page.type_into(fake_page.by_id(f"{prefix}-{suffix}"), text)
    await fake_page.fire(fake_page.by_id(f"{prefix}-anonymous"), "change", value=True)
    await fake_page.click(fake_page.by_id(f"{prefix}-send"))
    await fake_page.settle(0.5)
    assert any(t.startswith("You are offline: feedback") for t in fake_page.texts())
    field = fake_page.by_id(f"{prefix}-growth-area")
    assert "Delegation" in str(fake_page.find(lambda c: c is field)[0].content.value)


async def test_a_request_to_me_as_mentor_can_be_confirmed_online_only(fake_page, user):
    from_server(
        user.store,
        Entity.SESSION,
        {
            "sessionId": "s-req",
            "mentorId": USER,
            "menteeId": "mentee-1",
            "date": "2026-11-27",
            "time": "10:00",
            "duration": 60,
            "type": "virtual",
            "status": "PENDING",
            "meetingLink": "https://meet.growlink.app/s-req",
        },
    )
    (item,) = load_sessions(user).upcoming
    assert item.confirmable and item.cancellable
    assert (item.with_label, item.status_label) == (
        "with your mentee",
        "Requested: waiting for your answer",
    )
    from_server(user.store, Entity.USER, {"userId": "mentee-1", "name": "Ana Souza"})
    assert load_sessions(user).upcoming[0].with_label == "with Ana Souza"
    told: list[str] = []
    fake_page.render(lambda: SessionsScreen(ScreenContext(user, notify=told.append)))
    await fake_page.settle()
    assert (
        fake_page.by_id("session-confirm-s-req").label == "Confirm the session on Fri 27 Nov, 10:00"
    )
    assert fake_page.by_id("session-cancel-s-req").label.startswith("Decline")
    await fake_page.click(fake_page.by_id("session-confirm-s-req"))
    await fake_page.settle(0.5)
    assert told and told[0].startswith("You are offline: confirming needs a connection")
