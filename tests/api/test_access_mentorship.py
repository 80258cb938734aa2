"""Who may call each mentorship operation: every operation x {mentor, mentee, stranger, admin,
anonymous}.

The world is seeded straight into storage (cheap on moto): a mentor and a mentee with four
sessions (pending; confirmed and already started; completed two days ago without feedback;
completed with feedback, notes and a review), a stranger, an admin and a partner venue.
Allowed cells must return data; refused cells must fail with the code and, for mutations,
leave every mentorship table exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import graphql
import pytest
from graphql import ObjectTypeExtensionNode

from backend.api.sdl import SCHEMA_DIR
from tests.api.asgi import Api, Person

NOW = "2026-11-24T12:00:00.000000Z"
ROLES = ("mentor", "mentee", "stranger", "admin", "anonymous")
TABLES = ("Sessions", "Venues", "SessionFeedbacks", "Reviews", "MentorSessionNotes", "Users")

MENTOR_ID = "11111111-1111-4111-8111-111111111111"
MENTEE_ID = "22222222-2222-4222-8222-222222222222"
STRANGER_ID = "33333333-3333-4333-8333-333333333333"
ADMIN_ID = "44444444-4444-4444-8444-444444444444"
VENUE_ID = "55555555-5555-4555-8555-555555555555"
PENDING = "66666666-6666-4666-8666-666666666661"
CONFIRMED = "66666666-6666-4666-8666-666666666662"
COMPLETED = "66666666-6666-4666-8666-666666666663"
REVIEWED = "66666666-6666-4666-8666-666666666664"


def _user(user_id: str, name: str, role: str, **extra: Any) -> dict[str, Any]:
    return {
        "userId": user_id,
        "email": f"{name.lower()}@example.com",
        "username": name.lower(),
        "name": name,
        "role": role,
        "membershipTier": "standard",
        "verified": False,
        "rating": 0,
        "totalSessions": 0,
        "inPersonSessions": 0,
        "skills": [],
        "interests": [],
        "timeZone": "UTC",
        "createdAt": NOW,
        "updatedAt": NOW,
        "_version": 1,
        **extra,
    }


def _session(session_id: str, status: str, date: str, **extra: Any) -> dict[str, Any]:
    return {
        "sessionId": session_id,
        "mentorId": MENTOR_ID,
        "menteeId": MENTEE_ID,
        "type": "virtual",
        "meetingLink": "https://meet.example/x",
        "date": date,
        "time": date[11:16],
        "duration": 60,
        "status": status,
        "price": 50,
        "feedbackEligible": False,
        "feedbackSubmitted": False,
        "createdAt": "2026-11-20T09:00:00.000000Z",
        "updatedAt": NOW,
        "_version": 1,
        **extra,
    }


async def _seed(api: Api) -> dict[str, Person]:
    store = api.store
    await store.put_many(
        "Users",
        [
            _user(MENTOR_ID, "Mona", "MENTOR", rating=4),
            _user(MENTEE_ID, "Ann", "MENTEE"),
            _user(STRANGER_ID, "Eve", "MENTEE"),
            _user(ADMIN_ID, "Ada", "BOTH", isAdmin=True),
        ],
    )
    await store.put_many(
        "Venues",
        [
            {
                "venueId": VENUE_ID,
                "name": "Central Library",
                "type": "library",
                "address": "1 Main St",
                "city": "Austin",
                "country": "USA",
                "capacity": 20,
                "amenities": [],
                "isPartner": True,
                "partnershipTier": "gold",
                "discountPercentage": 30,
                "createdAt": NOW,
                "updatedAt": NOW,
                "_version": 1,
            }
        ],
    )
    await store.put_many(
        "Sessions",
        [
            _session(PENDING, "PENDING", "2026-11-26T14:00:00.000000Z"),
            _session(CONFIRMED, "CONFIRMED", "2026-11-24T10:00:00.000000Z"),
            _session(
                COMPLETED,
                "COMPLETED",
                "2026-11-22T10:00:00.000000Z",
                completedAt="2026-11-22T11:00:00.000000Z",
            ),
            _session(
                REVIEWED,
                "COMPLETED",
                "2026-11-21T10:00:00.000000Z",
                completedAt="2026-11-21T11:00:00.000000Z",
                feedbackSubmitted=True,
                feedbackEligible=True,
                rating=4,
            ),
        ],
    )
    await store.put_many(
        "SessionFeedbacks",
        [
            {
                "sessionId": REVIEWED,
                "feedbackId": "77777777-7777-4777-8777-777777777777",
                "menteeId": MENTEE_ID,
                "mentorId": MENTOR_ID,
                "rating": 4,
                "growthArea": "a",
                "growthIdea": "b",
                "whatWentWell": "c",
                "whatToImprove": "d",
                "isAnonymous": False,
                "createdAt": "2026-11-23T11:00:00.000000Z",
                "updatedAt": "2026-11-23T11:00:00.000000Z",
                "_version": 1,
            }
        ],
    )
    await store.put_many(
        "Reviews",
        [
            {
                "targetId": MENTOR_ID,
                "authorId": MENTEE_ID,
                "reviewId": f"{MENTOR_ID}#{MENTEE_ID}",
                "rating": 4,
                "type": "SESSION_FEEDBACK",
                "createdAt": "2026-11-23T11:00:00.000000Z",
                "updatedAt": "2026-11-23T11:00:00.000000Z",
                "_version": 1,
            }
        ],
    )
    await store.put_many(
        "MentorSessionNotes",
        [
            {
                "sessionId": REVIEWED,
                "noteId": "88888888-8888-4888-8888-888888888888",
                "mentorId": MENTOR_ID,
                "summary": "Private",
                "createdAt": NOW,
                "updatedAt": NOW,
                "_version": 1,
            }
        ],
    )
    tokens = api.services.tokens
    return {
        role: Person(user_id, tokens.issue(user_id, is_admin=role == "admin").access_token, "", "")
        for role, user_id in (
            ("mentor", MENTOR_ID),
            ("mentee", MENTEE_ID),
            ("stranger", STRANGER_ID),
            ("admin", ADMIN_ID),
        )
    }


async def _snapshot(api: Api) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for table in TABLES:
        items = (await api.store.scan(table, limit=1000)).items
        out[table] = sorted(items, key=repr)
    return out


@dataclass(frozen=True)
class Op:
    """One operation: its document, variables, and the outcome for each caller."""

    name: str
    document: str
    variables: dict[str, Any]
    allowed: tuple[str, ...]
    other: dict[str, str] | None = None  # role -> expected code where not FORBIDDEN
    write: bool = False

    def expected(self, role: str) -> str:
        if role in self.allowed:
            return "ok"
        if self.other and role in self.other:
            return self.other[role]
        return "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"


EVERYONE = ROLES
SIGNED_IN = ("mentor", "mentee", "stranger", "admin")
BOTH = ("mentor", "mentee")
SESSION_INPUT = {
    "mentorId": MENTOR_ID,
    "type": "virtual",
    "meetingLink": "https://meet.example/y",
    "date": "2026-11-30",
    "time": "09:00",
    "duration": 30,
}
FEEDBACK_INPUT = {
    "sessionId": COMPLETED,
    "rating": 5,
    "growthArea": "a",
    "growthIdea": "b",
    "whatWentWell": "c",
    "whatToImprove": "d",
}
VENUE_INPUT = {
    "name": "Hub",
    "type": "co_working",
    "address": "2 Elm",
    "city": "Austin",
    "capacity": 5,
}

OPS = [
    Op("getSession", "query($s: ID!) { getSession(sessionId: $s) { sessionId } }",
       {"s": PENDING}, BOTH),
    Op("listSessionsForMentor",
       "query($u: ID!) { listSessionsForMentor(mentorId: $u) { sessionId } }",
       {"u": MENTOR_ID}, ("mentor",)),
    Op("listSessionsForMentorPage",
       "query($u: ID!) { listSessionsForMentorPage(mentorId: $u) { items { sessionId } } }",
       {"u": MENTOR_ID}, ("mentor",)),
    Op("listSessionsForMentee",
       "query($u: ID!) { listSessionsForMentee(menteeId: $u) { sessionId } }",
       {"u": MENTEE_ID}, ("mentee",)),
    Op("listSessionsForMenteePage",
       "query($u: ID!) { listSessionsForMenteePage(menteeId: $u) { items { sessionId } } }",
       {"u": MENTEE_ID}, ("mentee",)),
    Op("listUpcomingSessions",
       "query($u: ID!) { listUpcomingSessions(userId: $u) { sessionId } }",
       {"u": MENTOR_ID}, ("mentor",)),
    Op("listSessionsForVenue",
       "query($v: ID!) { listSessionsForVenue(venueId: $v) { sessionId } }",
       {"v": VENUE_ID}, ("admin",)),
    Op("listSessionsByStatus", "{ listSessionsByStatus(status: PENDING) { sessionId } }",
       {}, ("admin",)),
    Op("getVenue", "query($v: ID!) { getVenue(venueId: $v) { venueId } }",
       {"v": VENUE_ID}, EVERYONE),
    Op("listVenues", "{ listVenues { venueId } }", {}, EVERYONE),
    Op("getSessionFeedback",
       "query($s: ID!) { getSessionFeedback(sessionId: $s) { feedbackId } }",
       {"s": REVIEWED}, BOTH),
    Op("listFeedbacksForMentor",
       "query($u: ID!) { listFeedbacksForMentor(mentorId: $u) { feedbackId } }",
       {"u": MENTOR_ID}, ("mentor",)),
    Op("listFeedbacksForMentee",
       "query($u: ID!) { listFeedbacksForMentee(menteeId: $u) { feedbackId } }",
       {"u": MENTEE_ID}, ("mentee",)),
    Op("getReview",
       "query($t: ID!, $a: ID!) { getReview(targetId: $t, authorId: $a) { reviewId } }",
       {"t": MENTOR_ID, "a": MENTEE_ID}, SIGNED_IN),
    Op("listReviewsForTarget",
       "query($t: ID!) { listReviewsForTarget(targetId: $t) { reviewId } }",
       {"t": MENTOR_ID}, SIGNED_IN),
    Op("listReviewsByAuthor",
       "query($a: ID!) { listReviewsByAuthor(authorId: $a) { reviewId } }",
       {"a": MENTEE_ID}, ("mentee",)),
    Op("getMentorSessionNotes",
       "query($s: ID!) { getMentorSessionNotes(sessionId: $s) { noteId } }",
       {"s": REVIEWED}, ("mentor",)),
    Op("listMentorSessionNotes",
       "query($u: ID!) { listMentorSessionNotes(mentorId: $u) { noteId } }",
       {"u": MENTOR_ID}, ("mentor",)),
    Op("createSession",
       "mutation($i: CreateSessionInput!) { createSession(input: $i) { sessionId } }",
       {"i": SESSION_INPUT}, ("mentee", "stranger", "admin"),
       other={"mentor": "BAD_USER_INPUT"}, write=True),
    Op("confirmSession", "mutation($s: ID!) { confirmSession(sessionId: $s) { status } }",
       {"s": PENDING}, ("mentor",), write=True),
    Op("completeSession", "mutation($s: ID!) { completeSession(sessionId: $s) { status } }",
       {"s": CONFIRMED}, ("mentor",), write=True),
    Op("cancelSession", "mutation($s: ID!) { cancelSession(sessionId: $s) { status } }",
       {"s": PENDING}, BOTH, write=True),
    Op("markSessionNoShow",
       "mutation($s: ID!) { markSessionNoShow(sessionId: $s) { status } }",
       {"s": CONFIRMED}, ("mentor",), write=True),
    Op("createVenue",
       "mutation($i: CreateVenueInput!) { createVenue(input: $i) { venueId } }",
       {"i": VENUE_INPUT}, ("admin",), write=True),
    Op("updateVenue",
       "mutation($v: ID!) { updateVenue(venueId: $v, input: {capacity: 9}) { capacity } }",
       {"v": VENUE_ID}, ("admin",), write=True),
    Op("submitSessionFeedback",
       "mutation($i: SessionFeedbackInput!) { submitSessionFeedback(input: $i) { feedbackId } }",
       {"i": FEEDBACK_INPUT}, ("mentee",), write=True),
    Op("upsertReview",
       "mutation($t: ID!) { upsertReview(input: {targetId: $t, rating: 5}) { reviewId } }",
       {"t": MENTOR_ID}, ("mentee", "stranger", "admin"),
       other={"mentor": "BAD_USER_INPUT"}, write=True),
    Op("upsertMentorSessionNotes",
       """mutation($s: ID!) {
            upsertMentorSessionNotes(input: {sessionId: $s, summary: "New"}) { noteId } }""",
       {"s": REVIEWED}, ("mentor",), write=True),
]  # fmt: skip

CELLS = [
    pytest.param(op, role, id=f"{op.name}-{role}-{op.expected(role).lower()}")
    for op in OPS
    for role in ROLES
]


def test_the_matrix_covers_every_operation_of_the_mentorship_sdl():
    names = set()
    for domain in ("sessions", "venues", "feedback"):
        document = graphql.parse((SCHEMA_DIR / f"{domain}.graphql").read_text())
        for node in document.definitions:
            if isinstance(node, ObjectTypeExtensionNode) and node.name.value in (
                "Query",
                "Mutation",
            ):
                names |= {field.name.value for field in node.fields}
    assert names == {op.name for op in OPS}


@pytest.mark.parametrize(("op", "role"), CELLS)
async def test_access(api, op: Op, role: str):
    people = await _seed(api)
    caller = people.get(role)
    expected = op.expected(role)
    before = await _snapshot(api) if op.write and expected != "ok" else None
    body = await api.call(op.document, op.variables, as_=caller)
    if expected == "ok":
        assert not body.get("errors"), body.get("errors")
        assert body["data"][op.name] is not None
        return
    assert body.get("errors"), body
    assert body["errors"][0]["extensions"]["code"] == expected
    if before is not None:
        assert await _snapshot(api) == before
