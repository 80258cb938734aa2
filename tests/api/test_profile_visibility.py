"""Issue 10, finding 6: profile fields per viewer (backend/services/profiles.py).

Ann is a mentee with personal fields; Mona a mentor with directory fields; Eve a stranger
who tries to get at them. Runs on both engines: the circle is read from storage."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.asgi import Api, Person
from tests.api.mentorship_world import CONFIRM, book, confirmed
from tests.api.test_events import CREATE as CREATE_EVENT
from tests.api.test_events import event_input

FIELDS = "userId name bio rating role email timeZone location interests skills title"
GET = f"query($u: ID!) {{ getUser(userId: $u) {{ {FIELDS} }} }}"
BY_ROLE = f"query($r: UserRole!) {{ listUsersByRole(role: $r) {{ {FIELDS} }} }}"
BY_INTEREST = "query($i: String!) { listUsersByInterest(interest: $i) { userId } }"
BY_USERNAME = "query($n: String!) { getUserByUsername(username: $n) { userId } }"
CREATE_GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"

PERSONAL = {
    "location": "Lisbon",
    "timeZone": "Europe/Lisbon",
    "interests": ["Climbing"],
    "skills": ["Python"],
    "title": "Student",
}
HIDDEN = {
    "email": "",
    "timeZone": "",
    "location": None,
    "interests": [],
    "skills": [],
    "title": None,
}


UPDATE = """mutation($u: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $u, input: $i) { userId } }"""


async def member(api: Api, name: str, role: str = "MENTEE", **profile: Any) -> Person:
    person = await api.sign_up(name, role=role)
    if profile:
        await api.data(UPDATE, {"u": person.id, "i": profile}, as_=person)
    return person


async def people(api: Api) -> tuple[Person, Person, Person]:
    ann = await member(api, "Ann", bio="Learning to climb", **PERSONAL)
    mona = await member(
        api,
        "Mona",
        "MENTOR",
        timeZone="America/Chicago",
        location="Chicago",
        interests=["Coaching"],
        skills=["Leadership"],
        title="Coach",
    )
    eve = await member(api, "Eve")
    return ann, mona, eve


async def get_user(api: Api, user: Person, viewer: Person | None) -> Any:
    return (await api.data(GET, {"u": user.id}, as_=viewer))["getUser"]


async def test_signed_out_callers_get_nothing_of_a_mentee(api):
    ann, mona, _eve = await people(api)
    assert await get_user(api, ann, None) is None
    assert (await api.data(BY_ROLE, {"r": "MENTEE"}))["listUsersByRole"] == []
    assert (await api.data(BY_USERNAME, {"n": ann.username}))["getUserByUsername"] is None
    assert (await api.data(BY_INTEREST, {"i": "climbing"}))["listUsersByInterest"] == []
    # a mentor is in the public directory, without her email and time zone
    listed = (await api.data(BY_ROLE, {"r": "MENTOR"}))["listUsersByRole"]
    assert listed == [await get_user(api, mona, None)]
    assert listed[0]["location"] == "Chicago" and listed[0]["skills"] == ["Leadership"]
    assert listed[0]["email"] == "" and listed[0]["timeZone"] == ""
    assert ann.id not in json.dumps(await api.data(BY_ROLE, {"r": "MENTEE"}))


async def test_a_stranger_sees_only_a_mentees_public_fields(api):
    ann, _mona, eve = await people(api)
    seen = await get_user(api, ann, eve)
    assert seen == {
        "userId": ann.id,
        "name": "Ann",
        "bio": "Learning to climb",
        "rating": 0.0,
        "role": "MENTEE",
        **HIDDEN,
    }
    [listed] = [
        u
        for u in (await api.data(BY_ROLE, {"r": "MENTEE"}, as_=eve))["listUsersByRole"]
        if u["userId"] == ann.id
    ]
    assert listed == seen
    assert (await api.data(BY_INTEREST, {"i": "climbing"}, as_=eve))["listUsersByInterest"] == []


async def test_the_mentee_her_mentors_and_admins_see_her_personal_fields(api):
    ann, mona, eve = await people(api)
    admin = await api.admin()
    max_ = await api.sign_up("Max", role="MENTOR")
    await book(api, ann, mona)  # she asked Mona for a session: Mona is in her circle
    await api.data(CREATE_GOAL, {"i": {"title": "Climb 6a", "mentorId": max_.id}}, as_=ann)
    for viewer in (ann, mona, max_, admin):
        seen = await get_user(api, ann, viewer)
        assert {k: seen[k] for k in PERSONAL} == PERSONAL, viewer
        assert seen["email"] == ann.email
        found = (await api.data(BY_INTEREST, {"i": "climbing"}, as_=viewer))["listUsersByInterest"]
        assert found == [{"userId": ann.id}]
    assert {k: (await get_user(api, ann, eve))[k] for k in HIDDEN} == HIDDEN


async def test_a_mentors_email_and_time_zone_need_a_confirmed_session(api):
    ann, mona, eve = await people(api)
    # Eve makes up relations: Mona as her goal's mentor, a booking request
    await api.data(CREATE_GOAL, {"i": {"title": "Lead", "mentorId": mona.id}}, as_=eve)
    pending = await book(api, eve, mona)
    seen = await get_user(api, mona, eve)
    assert (seen["email"], seen["timeZone"]) == ("", "")
    assert seen["location"] == "Chicago"  # a directory field
    await api.data(CONFIRM, {"s": pending["sessionId"]}, as_=mona)
    seen = await get_user(api, mona, eve)
    assert (seen["email"], seen["timeZone"]) == (mona.email, "America/Chicago")
    # Ann's confirmed session with Mona gives Ann Mona's fields, and nobody else Ann's
    await confirmed(api, ann, mona, time="16:00")
    assert (await get_user(api, mona, ann))["timeZone"] == "America/Chicago"
    assert (await get_user(api, ann, eve))["timeZone"] == ""


@pytest.mark.parametrize("role", ["MENTEE", "MENTOR"])
async def test_a_users_own_profile_is_whole(api, role):
    me = await member(api, "Zed", role, **PERSONAL)
    seen = await get_user(api, me, me)
    assert {k: seen[k] for k in PERSONAL} == PERSONAL and seen["email"] == me.email


async def test_a_mentee_hosting_a_public_event_is_not_named_to_signed_out_callers(api):
    ann, mona, _eve = await people(api)
    host_of = "query($e: ID!) { getEvent(eventId: $e) { host { userId name } } }"
    for host in (ann, mona):
        made = await api.data(CREATE_EVENT, {"i": event_input()}, as_=host)
        event_id = made["createEvent"]["eventId"]
        signed_out = (await api.data(host_of, {"e": event_id}))["getEvent"]["host"]
        signed_in = (await api.data(host_of, {"e": event_id}, as_=mona))["getEvent"]["host"]
        assert signed_in == {"userId": host.id, "name": "Ann" if host is ann else "Mona"}
        expected = {"userId": "anonymous", "name": "Anonymous"} if host is ann else signed_in
        assert signed_out == expected


async def test_the_answer_to_her_own_sign_in_shows_her_own_fields(api: Api):
    """signIn, signUp and refreshToken are asked without a token: their user is still the
    caller herself (her email and zone were blank), for that answer only."""
    ann = await member(api, "Ann", **PERSONAL)
    signed_in = await api.data(
        f"""mutation($e: String!, $p: String!) {{ signIn(email: $e, password: $p) {{
          refreshToken user {{ {FIELDS} }} }} }}""",
        {"e": ann.email, "p": "correct horse battery"},
    )
    user = signed_in["signIn"]["user"]
    assert (user["email"], user["timeZone"], user["location"]) == (
        ann.email,
        "Europe/Lisbon",
        "Lisbon",
    )
    refreshed = await api.data(
        f"""mutation($t: String!) {{ refreshToken(token: $t) {{ user {{ {FIELDS} }} }} }}""",
        {"t": signed_in["signIn"]["refreshToken"]},
    )
    assert refreshed["refreshToken"]["user"]["timeZone"] == "Europe/Lisbon"
    # The next request without a token sees her as any stranger does.
    stranger_view = await api.data(GET, {"u": ann.id})
    assert stranger_view["getUser"] is None or stranger_view["getUser"]["email"] == ""
