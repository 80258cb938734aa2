"""Find a mentor and book, on a real device file: the directory offline, the price, the queued
request and how My sessions words it."""

from __future__ import annotations

from typing import Any

import pytest

from app.state.booking import (
    book_session,
    cache_directory,
    fetched_label,
    find_mentor,
    load_directory,
    load_venues,
    quote,
    venue_cities,
)
from app.state.context import UserContext
from app.state.online import Unreachable
from app.state.sessions import QUEUED_WORDS, FeedbackDraft, cancel_session, load_sessions
from domain.errors import RuleViolation
from domain.pricing import session_price
from sync import Entity
from tests.app.conftest import ZONE
from tests.app.seeding import VENUES, from_server, mentor

AT_THE_HUB: dict[str, Any] = {
    "session_type": "in_person",
    "date": "2026-11-26",
    "time": "15:00",
    "venue_id": "v-gold",
}
"""Thursday 26 November at 15:00 in Lisbon, at the gold partner venue."""


@pytest.fixture
def directory(user: UserContext) -> UserContext:
    cache_directory(
        user,
        [
            mentor("m-bea", "Bea", skills=["Design"], interests=["art"], rating=4.9),
            mentor("m-carl", "Carl", verified=True, rating=3.5),
            {"userId": "u-mentee", "name": "Not a mentor", "role": "MENTEE"},
        ],
    )
    from_server(user.store, Entity.VENUE, *VENUES)
    return user


def test_directory_is_cached_with_its_time_and_filtered_on_the_device(
    directory: UserContext,
) -> None:
    whole = load_directory(directory)
    assert [m.name for m in whole.mentors] == ["Carl", "Bea"]  # verified first, then rating
    assert whole.skills == ("Design", "Python") and whole.categories == ("Career",)
    assert fetched_label(whole.fetched_at, ZONE) == "Fetched Tue 24 Nov, 09:30"
    assert [m.name for m in load_directory(directory, skill="design").mentors] == ["Bea"]
    assert [m.name for m in load_directory(directory, interest="running").mentors] == ["Carl"]
    assert load_directory(directory, category="Career", skill="Design").mentors[0].name == "Bea"
    assert load_directory(directory, category="Health").mentors == ()


def test_synced_mentor_profile_joins_the_directory(user: UserContext) -> None:
    from_server(user.store, Entity.USER, mentor("m-dan", "Dan", membershipTier="exclusive"))
    found = find_mentor(user, "m-dan")
    assert found is not None and found.tier == "exclusive"
    assert load_directory(user).fetched_at is None
    assert fetched_label(None, ZONE) == "Not fetched online yet"


def test_price_is_the_domain_function_the_server_charges_with(directory: UserContext) -> None:
    bea = find_mentor(directory, "m-bea")
    assert bea is not None
    (gold,) = load_venues(directory, "lisbon")
    assert quote(bea, "in_person", gold) == 39.2  # 80 x 0.7 x 0.7
    assert quote(bea, "in_person", gold) == session_price(
        membership_tier="premium",
        duration_minutes=60,
        session_type="in_person",
        venue_is_partner=True,
        partnership_tier="gold",
        venue_discount_percentage=30,
    )
    assert quote(bea, "virtual", gold) == 80.0  # a venue means nothing online
    assert venue_cities(directory) == ("Lisbon", "Porto")


def test_booking_in_person_is_queued_in_utc_and_shown_as_requested(
    directory: UserContext,
) -> None:
    made = book_session(directory, "m-bea", **AT_THE_HUB)
    row = directory.store.get(Entity.SESSION, {"sessionId": made["sessionId"]})
    assert row is not None and row["_pending"]
    assert (row["date"], row["time"], row["venueId"], row["status"]) == (
        "2026-11-26",
        "15:00",
        "v-gold",
        "PENDING",  # Lisbon is UTC in November
    )
    (item,) = load_sessions(directory).upcoming
    assert item.status_label == QUEUED_WORDS and item.when_label == "Thu 26 Nov, 15:00"
    assert item.price == 39.2 and item.venue_name == "Lisbon Hub"  # as the form showed it


def test_virtual_booking_gets_a_meeting_link_and_no_venue(directory: UserContext) -> None:
    made = book_session(
        directory,
        "m-carl",
        session_type="virtual",
        date="2026-11-25",
        time="08:00",
        venue_id="v-gold",
    )
    assert made["meetingLink"].endswith(made["sessionId"]) and "venueId" not in made


def test_bad_bookings_are_refused_and_write_nothing(directory: UserContext) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"mentor_id": "m-nobody"}, "mentorId"),
        ({"session_type": "phone"}, "type"),
        ({"date": "2026-11-23"}, "date"),  # yesterday
        ({"time": "25:00"}, "time"),
        ({"venue_id": "v-missing"}, "venueId"),
        ({"duration": 5}, "duration"),
    ]
    for change, field in cases:
        args: dict[str, Any] = {
            "mentor_id": "m-bea",
            "session_type": "in_person",
            "date": "2026-11-26",
            "time": "15:00",
            "venue_id": "v-gold",
            **change,
        }
        with pytest.raises(RuleViolation) as err:
            book_session(directory, args.pop("mentor_id"), **args)
        assert err.value.field == field
    assert directory.store.status().pending == 0


def test_a_venue_switched_off_is_not_offered_and_not_booked(directory: UserContext) -> None:
    from_server(directory.store, Entity.VENUE, {**VENUES[0], "isActive": False, "_version": 2})
    assert [v.venue_id for v in load_venues(directory)] == ["v-cafe"]
    assert venue_cities(directory) == ("Porto",)
    with pytest.raises(RuleViolation) as err:
        book_session(directory, "m-bea", **AT_THE_HUB)
    assert err.value.field == "venueId" and "not taking bookings" in err.value.message
    assert directory.store.status().pending == 0


def session(user: UserContext, session_id: str, date: str, status: str, **extra: Any):
    """A ``SESSION`` as the server sends it: Bea mentors the user, a virtual hour at 10:00."""
    return {
        "sessionId": session_id,
        "mentorId": "m-bea",
        "menteeId": user.user_id,
        "type": "virtual",
        "date": date,
        "time": "10:00",
        "duration": 60,
        "status": status,
        **extra,
    }


def test_server_decision_is_shown_after_sync(directory: UserContext) -> None:
    from_server(
        directory.store,
        Entity.SESSION,
        session(
            directory,
            "s-ok",
            "2026-11-27",
            "CONFIRMED",
            type="in_person",
            venueId="v-gold",
            price=39.2,
        ),
        session(directory, "s-old", "2026-11-20", "COMPLETED", price=80.0),
    )
    model = load_sessions(directory)
    assert [(i.session_id, i.status_label, i.price) for i in model.upcoming] == [
        ("s-ok", "Confirmed", 39.2)
    ]
    assert [i.status_label for i in model.past] == ["Completed"]
    assert model.upcoming[0].with_label == "with Bea"  # the name from the cached directory


async def test_cancel_is_offered_by_the_spec_rules_and_needs_a_connection(
    directory: UserContext,
) -> None:
    made = book_session(
        directory, "m-carl", session_type="virtual", date="2026-11-25", time="08:00"
    )
    from_server(
        directory.store,
        Entity.SESSION,
        session(directory, "s-ok", "2026-11-27", "CONFIRMED"),
        session(directory, "s-done", "2026-11-20", "COMPLETED"),
    )
    model = load_sessions(directory)
    offered = {i.session_id: i.cancellable for i in model.upcoming + model.past}
    assert offered == {made["sessionId"]: False, "s-ok": True, "s-done": False}
    with pytest.raises(Unreachable):  # the fixture's server address answers nothing
        await cancel_session(directory, "s-ok")
    assert load_sessions(directory).upcoming[-1].status == "CONFIRMED"


def test_feedback_opens_24_hours_after_completion_and_once(directory: UserContext) -> None:
    done = "2026-11-22T10:00:00.000000Z"  # 47.5 hours before the fixture's clock
    from_server(
        directory.store,
        Entity.SESSION,
        session(directory, "s-open", "2026-11-22", "COMPLETED", completedAt=done),
        session(
            directory,
            "s-fresh",
            "2026-11-24",
            "COMPLETED",
            time="08:00",
            completedAt="2026-11-24T09:00:00.000000Z",
        ),
        session(directory, "s-given", "2026-11-22", "COMPLETED", completedAt=done),
    )
    from_server(directory.store, Entity.SESSION_FEEDBACK, {"sessionId": "s-given", "rating": 4})
    opened = {i.session_id: i.feedback_open for i in load_sessions(directory).past}
    assert opened == {"s-open": True, "s-fresh": False, "s-given": False}
    with pytest.raises(RuleViolation) as err:
        FeedbackDraft(growth_area="x", growth_idea=" ", what_went_well="y").as_input("s-open")
    assert err.value.field == "growthIdea"
    sent = FeedbackDraft(4, " a ", "b", "c", "d", anonymous=True).as_input("s-open")
    assert sent == {
        "sessionId": "s-open",
        "rating": 4,
        "growthArea": "a",
        "growthIdea": "b",
        "whatWentWell": "c",
        "whatToImprove": "d",
        "isAnonymous": True,
    }
