"""Mentor session notes over GraphQL: the session's mentor's private notes, one per session."""

import pytest

from tests.api.mentorship_world import book, count

UPSERT = """mutation($i: UpsertMentorSessionNotesInput!) { upsertMentorSessionNotes(input: $i) {
  noteId summary followUps growthFocus privateNotes createdAt updatedAt
  session { sessionId } mentor { userId } } }"""
GET = "query($s: ID!) { getMentorSessionNotes(sessionId: $s) { noteId summary } }"


@pytest.fixture
async def session(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    booked = await book(api, ann, mona)
    return mona, ann, booked["sessionId"]


async def test_the_mentor_writes_then_replaces_the_notes_of_a_session(api, clock, session):
    mona, _, session_id = session
    first = await api.data(
        UPSERT,
        {"i": {"sessionId": session_id, "summary": " Goals ", "privateNotes": "Shy at first"}},
        as_=mona,
    )
    notes = first["upsertMentorSessionNotes"]
    assert (notes["summary"], notes["privateNotes"], notes["followUps"]) == (
        "Goals",
        "Shy at first",
        None,
    )
    assert notes["session"] == {"sessionId": session_id} and notes["mentor"] == {"userId": mona.id}
    clock.advance(minutes=2)
    second = await api.data(
        UPSERT, {"i": {"sessionId": session_id, "summary": "Plan", "followUps": "Read"}}, as_=mona
    )
    replaced = second["upsertMentorSessionNotes"]
    assert replaced["noteId"] == notes["noteId"] and replaced["createdAt"] == notes["createdAt"]
    assert (replaced["summary"], replaced["followUps"], replaced["privateNotes"]) == (
        "Plan",
        "Read",
        None,
    )
    assert await count(api, "MentorSessionNotes") == 1
    assert (await api.data(GET, {"s": session_id}, as_=mona))["getMentorSessionNotes"] == {
        "noteId": notes["noteId"],
        "summary": "Plan",
    }


async def test_the_mentee_can_neither_write_nor_read_the_notes(api, session):
    mona, ann, session_id = session
    refused = await api.error(UPSERT, {"i": {"sessionId": session_id, "summary": "x"}}, as_=ann)
    assert refused["code"] == "FORBIDDEN"
    assert await count(api, "MentorSessionNotes") == 0
    await api.data(UPSERT, {"i": {"sessionId": session_id, "summary": "Mine"}}, as_=mona)
    hidden = await api.error(GET, {"s": session_id}, as_=ann)
    assert hidden["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"summary": "  "}, "summary"), ({"growthFocus": "x" * 10_001}, "growthFocus")],
    ids=["blank-summary", "long-growthFocus"],
)
async def test_bad_notes_are_refused_and_write_nothing(api, session, change, field):
    mona, _, session_id = session
    error = await api.error(
        UPSERT, {"i": {"sessionId": session_id, "summary": "ok", **change}}, as_=mona
    )
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await count(api, "MentorSessionNotes") == 0


async def test_notes_of_a_missing_session(api, session):
    mona, _, session_id = session
    missing = "00000000-0000-4000-8000-000000000000"
    error = await api.error(UPSERT, {"i": {"sessionId": missing, "summary": "x"}}, as_=mona)
    assert error["code"] == "NOT_FOUND"
    assert (await api.data(GET, {"s": missing}, as_=mona))["getMentorSessionNotes"] is None
    assert (await api.data(GET, {"s": session_id}, as_=mona))["getMentorSessionNotes"] is None


async def test_the_mentor_lists_their_notes_newest_first(api, clock, session):
    mona, ann, session_id = session
    later = (await book(api, ann, mona, time="17:00"))["sessionId"]
    for sid in (session_id, later):
        await api.data(UPSERT, {"i": {"sessionId": sid, "summary": sid}}, as_=mona)
        clock.advance(minutes=1)
    query = "query($m: ID!) { listMentorSessionNotes(mentorId: $m) { summary } }"
    data = await api.data(query, {"m": mona.id}, as_=mona)
    assert [n["summary"] for n in data["listMentorSessionNotes"]] == [later, session_id]
    refused = await api.error(query, {"m": mona.id}, as_=ann)
    assert refused["code"] == "FORBIDDEN"


async def test_the_mentee_reading_her_session_gets_no_notes_in_it(api, session):
    mona, ann, session_id = session
    await api.data(UPSERT, {"i": {"sessionId": session_id, "summary": "Private"}}, as_=mona)
    query = "query($s: ID!) { getSession(sessionId: $s) { sessionId mentorNotes { summary } } }"
    hers = (await api.data(query, {"s": session_id}, as_=ann))["getSession"]
    assert hers == {"sessionId": session_id, "mentorNotes": None}
    his = (await api.data(query, {"s": session_id}, as_=mona))["getSession"]
    assert his["mentorNotes"] == {"summary": "Private"}
