"""Findings 7 and 9 of issue 10 in ordinary mutations: text is NFC-normalized; lone
surrogates, NUL and control characters are BAD_USER_INPUT (they were INTERNAL_SERVER_ERROR);
sessions and events are planned at most two years ahead (a session in 9999 notified the mentor).

Bodies are sent as a buggy client would: ``json.dumps`` escapes the lone surrogate."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.mentorship_world import CREATE_SESSION, count, session_input
from tests.api.test_events import CREATE as CREATE_EVENT
from tests.api.test_events import event_input

UPDATE_PROFILE = """mutation($u: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $u, input: $i) { bio } }"""


async def raw_call(api, query: str, variables: dict[str, Any], person) -> dict[str, Any]:
    response = await api.client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Authorization": f"Bearer {person.token}", "Content-Type": "application/json"},
    )
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "bad",
    ["Hello \ud83d", "Hello\x00", "Hello\x07", "Hello\x85"],
    ids=["lone-surrogate", "nul", "bell", "c1-control"],
)
async def test_bad_text_in_a_mutation_is_bad_input_and_changes_nothing(api, bad):
    ann = await api.sign_up("Ann")
    body = await raw_call(api, UPDATE_PROFILE, {"u": ann.id, "i": {"bio": bad}}, ann)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "bio"
    stored = await api.store.get("Users", {"userId": ann.id})
    assert stored.get("bio") is None


async def test_text_is_stored_nfc_normalized_and_line_breaks_kept(api):
    ann = await api.sign_up("Ann")
    body = await raw_call(
        api, UPDATE_PROFILE, {"u": ann.id, "i": {"bio": "Cafe\u0301\r\nand\ttea"}}, ann
    )
    assert body["data"]["updateUserProfile"]["bio"] == "Caf\u00e9\nand\ttea"


async def test_a_session_years_ahead_is_refused_and_the_mentor_not_notified(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    error = await api.error(
        CREATE_SESSION, {"i": session_input(mona, date="9999-12-30", time="10:00")}, as_=ann
    )
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "date")
    assert await count(api, "Sessions") == 0
    assert await count(api, "Notifications") == 0


async def test_a_session_within_two_years_is_booked(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    # the clock stands at 2026-11-24 12:00 UTC; two years of 365 days end 2028-11-23 12:00
    made = await api.data(
        CREATE_SESSION, {"i": session_input(mona, date="2028-11-23", time="12:00")}, as_=ann
    )
    assert made["createSession"]["date"].startswith("2028-11-23")
    error = await api.error(
        CREATE_SESSION, {"i": session_input(mona, date="2028-11-23", time="12:01")}, as_=ann
    )
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "date")


async def test_an_event_years_ahead_is_refused(api):
    host = await api.sign_up("Hal", role="MENTOR")
    error = await api.error(CREATE_EVENT, {"i": event_input(date="2031-01-01T18:00:00Z")}, as_=host)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "date")
    assert await count(api, "Events") == 0


async def test_an_error_quoting_a_lone_surrogate_is_still_sent(api):
    """graphql-core's message quotes the bad enum value; it was a bare HTTP 500."""
    ann = await api.sign_up("Ann")
    query = "query($r: UserRole!) { listUsersByRole(role: $r) { userId } }"
    body = await raw_call(api, query, {"r": "MENTOR\ud800"}, ann)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "\ufffd" in error["message"]


async def test_a_query_argument_with_a_lone_surrogate_is_bad_input(api):
    ann = await api.sign_up("Ann")
    query = "query($n: String!) { getUserByUsername(username: $n) { userId } }"
    body = await raw_call(api, query, {"n": "ann\ud800"}, ann)
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "username",
    )
