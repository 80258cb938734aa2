"""Issue 10, finding 6 in the sync feed: a profile reaches another user's device only as the
public fields of a partner (a mentor of her goals or sessions, or a mentee of his:
``mentor_profiles``); nobody's personal fields reach anyone else's feed, whatever relation a
stranger makes up, and a user with no partner gets no one's profile."""

from __future__ import annotations

from tests.api.mentorship_world import book, completed
from tests.sync_server.sync_calls import feed_of, pull_all

CREATE_GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
UPDATE = """mutation($u: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $u, input: $i) { userId } }"""
PUBLIC = {"userId", "name", "avatar", "bio", "rating", "_version", "_lastChangedAt", "_deleted"}


async def test_only_partners_public_fields_reach_other_devices(api):
    ann = await api.sign_up("Ann", time_zone="Europe/Lisbon")
    mona = await api.sign_up("Mona", role="MENTOR", time_zone="America/Chicago")
    eve = await api.sign_up("Eve")
    loner = await api.sign_up("Lou")
    for person, place in ((ann, "Lisbon"), (mona, "Chicago")):
        profile = {"location": place, "interests": ["Climbing"], "bio": "Likes long walks"}
        await api.data(UPDATE, {"u": person.id, "i": profile}, as_=person)
    await completed(api, ann, mona)
    await api.data(CREATE_GOAL, {"i": {"title": "Lead", "mentorId": mona.id}}, as_=eve)
    await book(api, eve, mona, time="16:00")
    await api.data(UPDATE, {"u": mona.id, "i": {"bio": "New bio"}}, as_=mona)

    partners = {ann.id: {mona.id}, eve.id: {mona.id}, mona.id: {ann.id, eve.id}, loner.id: set()}
    for person in (ann, mona, eve, loner):
        entries = await feed_of(api, person.id)
        changes, _cursor, _requests = await pull_all(api, person)
        users = [e["item"] for e in entries if e["entity"] == "USER" and e["item"]] + [
            c["item"] for c in changes if c["entity"] == "USER" and c["item"]
        ]
        for item in users:
            if item["userId"] != person.id:
                assert set(item) <= PUBLIC, item
        others = {u["userId"] for u in users if u["userId"] != person.id}
        assert others == partners[person.id], person
    mona_sees = str(await feed_of(api, mona.id)) + str(await pull_all(api, mona))
    for secret in ("Lisbon", "Europe/Lisbon", ann.email, eve.email):
        assert secret not in mona_sees
