"""Shared steps of the mentorship API tests: people, venues, sessions and their GraphQL.

Not a test module: the ``test_*`` files of sessions, venues, feedback, reviews and notes
import it. Time travel re-issues access tokens (they last 15 minutes).
"""

from __future__ import annotations

import uuid
from typing import Any

from backend.storage.items import Item
from tests.api.asgi import Api, Person

SESSION_FIELDS = """sessionId type date time duration status price topic rating review
  feedbackEligible feedbackSubmitted feedbackSubmittedAt notes meetingLink cancelReason
  createdAt updatedAt mentor { userId } mentee { userId } venue { venueId }"""
CREATE_SESSION = (
    "mutation($i: CreateSessionInput!) { createSession(input: $i) { " + SESSION_FIELDS + " } }"
)
GET_SESSION = "query($s: ID!) { getSession(sessionId: $s) { " + SESSION_FIELDS + " } }"
CONFIRM = "mutation($s: ID!) { confirmSession(sessionId: $s) { status } }"
COMPLETE = (
    "mutation($s: ID!, $n: String) { completeSession(sessionId: $s, notes: $n) { "
    + SESSION_FIELDS
    + " } }"
)
CANCEL = (
    "mutation($s: ID!, $r: String) { cancelSession(sessionId: $s, reason: $r) { "
    + SESSION_FIELDS
    + " } }"
)
NO_SHOW = "mutation($s: ID!) { markSessionNoShow(sessionId: $s) { status } }"
CREATE_VENUE = """mutation($i: CreateVenueInput!) { createVenue(input: $i) {
  venueId name type address city state zipCode country capacity amenities image isPartner
  partnershipTier discountPercentage createdAt updatedAt } }"""
FEEDBACK_FIELDS = """feedbackId rating growthArea growthIdea whatWentWell whatToImprove
  additionalComments isAnonymous createdAt updatedAt mentor { userId }
  mentee { userId name username email }"""
SUBMIT_FEEDBACK = (
    "mutation($i: SessionFeedbackInput!) { submitSessionFeedback(input: $i) { "
    + FEEDBACK_FIELDS
    + " } }"
)

DAY_AFTER_TOMORROW = "2026-11-26"  # the test clock starts on Tuesday 2026-11-24 12:00 UTC


def venue_input(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Central Library",
        "type": "library",
        "address": "1 Main St",
        "city": "Austin",
        "capacity": 20,
        **fields,
    }


def feedback_input(session_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "sessionId": session_id,
        "rating": 4,
        "growthArea": "Public speaking",
        "growthIdea": "Record one talk a week",
        "whatWentWell": "Clear, kind advice",
        "whatToImprove": "More examples",
        **fields,
    }


def refresh_token(api: Api, person: Person, *, is_admin: bool = False) -> None:
    person.token = api.services.tokens.issue(person.id, is_admin=is_admin).access_token


def travel(api: Api, *people: Person, **delta: float) -> None:
    """Move the clock (``hours=25``) and give ``people`` (not admins) fresh access tokens."""
    api.clock.advance(**delta)
    for person in people:
        refresh_token(api, person)


async def set_tier(api: Api, person: Person, tier: str) -> None:
    await api.store.update("Users", {"userId": person.id}, set={"membershipTier": tier})


async def create_venue(api: Api, admin: Person, **fields: Any) -> dict[str, Any]:
    data = await api.data(CREATE_VENUE, {"i": venue_input(**fields)}, as_=admin)
    venue: dict[str, Any] = data["createVenue"]
    return venue


def session_input(mentor: Person, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "mentorId": mentor.id,
        "type": "virtual",
        "meetingLink": "https://meet.example/abc",
        "date": DAY_AFTER_TOMORROW,
        "time": "14:00",
        "duration": 60,
    }
    if fields.get("type") == "in_person":
        base.pop("meetingLink")
    return {**base, **fields}


async def book(api: Api, mentee: Person, mentor: Person, **fields: Any) -> dict[str, Any]:
    data = await api.data(CREATE_SESSION, {"i": session_input(mentor, **fields)}, as_=mentee)
    session: dict[str, Any] = data["createSession"]
    api.clock.advance(seconds=1)  # notifications are keyed by instant: keep steps apart
    return session


async def confirmed(api: Api, mentee: Person, mentor: Person, **fields: Any) -> str:
    session_id = str((await book(api, mentee, mentor, **fields))["sessionId"])
    await api.data(CONFIRM, {"s": session_id}, as_=mentor)
    api.clock.advance(seconds=1)
    return session_id


async def completed(api: Api, mentee: Person, mentor: Person, **fields: Any) -> str:
    """A session booked, confirmed and completed (the clock is one second after completion)."""
    session_id = await confirmed(api, mentee, mentor, **fields)
    await api.data(COMPLETE, {"s": session_id}, as_=mentor)
    api.clock.advance(seconds=1)
    return session_id


async def stored(api: Api, table: str, **key: str) -> Item | None:
    return await api.store.get(table, key)


async def count(api: Api, table: str) -> int:
    return len((await api.store.scan(table, limit=1000)).items)


def new_id() -> str:
    return str(uuid.uuid4())
