"""pullChanges: the initial snapshot (everything visible, nothing private), paging, the feed
after a cursor, one request for a short reconnect, and resetRequired."""

from __future__ import annotations

import json

import pytest

from tests.api.mentorship_world import create_venue, travel
from tests.storage.expiry import expire
from tests.sync_server.sync_calls import PULL, latest, new_id, pull, pull_all

TODAY, YESTERDAY = "2026-11-24", "2026-11-23"
CATEGORY = "mutation($i: CreateCategoryInput!) { createCategory(input: $i) { categoryId } }"
EVENT = "mutation($i: CreateEventInput!) { createEvent(input: $i) { eventId } }"
PUBLIC_PROFILE = ("userId", "name", "avatar", "bio", "rating")
PRIVATE = ("passwordHash", "isAdmin", "badgeKeys", "_ttl", "_clientId", "_fieldVersions")


def event_input():
    return {
        "title": "Sunset run",
        "description": "An easy 5k",
        "type": "hangout",
        "date": "2026-12-01T18:00:00Z",
        "time": "18:00",
        "duration": 60,
        "maxAttendees": 10,
        "isVirtual": True,
        "meetingLink": "https://meet.example/secret",
    }


@pytest.fixture
async def world(api, device_of):
    """Ann (mentored by Mona), Bob (a stranger to both) and some public items."""
    admin = await api.admin()
    mona = await api.sign_up("Mona", role="MENTOR")
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    ids = {name: new_id() for name in ("mentored", "private", "habit", "todo", "session", "bob")}
    phone = device_of(ann)
    result = await phone.push(
        phone.change(
            "GOAL", {"goalId": ids["mentored"]}, "PUT", {"title": "Lead", "mentorId": mona.id}
        ),
        phone.change("GOAL", {"goalId": ids["private"]}, "PUT", {"title": "Sleep"}),
        phone.change(
            "HABIT",
            {"habitId": ids["habit"]},
            "PUT",
            {"goalId": ids["private"], "title": "Lights out", "frequency": "daily", "duration": 1},
        ),
        phone.change("HABIT_COMPLETION", {"habitId": ids["habit"], "date": TODAY}, "PUT", {}),
        phone.change(
            "REFLECTION",
            {"userId": ann.id, "date": TODAY},
            "PUT",
            {"mood": "GOOD", "text": "for Mona", "isShared": True, "sharedWithMentorId": mona.id},
        ),
        phone.change(
            "REFLECTION",
            {"userId": ann.id, "date": YESTERDAY},
            "PUT",
            {"mood": "BAD", "text": "mine"},
        ),
        phone.change("TODO", {"userId": ann.id, "todoId": ids["todo"]}, "PUT", {"text": "Call"}),
        phone.change(
            "SESSION",
            {"sessionId": ids["session"]},
            "PUT",
            {
                "mentorId": mona.id,
                "type": "virtual",
                "meetingLink": "https://meet.example/s",
                "date": "2026-11-26",
                "time": "14:00",
                "duration": 60,
            },
        ),
    )
    assert {r["status"] for r in result["results"]} == {"APPLIED"}, result
    bobs = device_of(bob)
    await bobs.push(
        bobs.change("GOAL", {"goalId": ids["bob"]}, "PUT", {"title": "Bob's"}),
        bobs.change("TODO", {"userId": bob.id, "todoId": new_id()}, "PUT", {"text": "Bob's"}),
    )
    await api.data(CATEGORY, {"i": {"name": "Health"}}, as_=admin)
    await create_venue(api, admin)
    await api.data(EVENT, {"i": event_input()}, as_=bob)
    api.clock.advance(minutes=1)  # past the index-lag replay window: no repeats below
    return {"admin": admin, "mona": mona, "ann": ann, "bob": bob, "ids": ids}


def kinds(changes):
    return sorted(c["entity"] for c in changes)


def assert_nothing_private(changes, reader):
    text = json.dumps(changes)
    for name in PRIVATE:
        assert f'"{name}"' not in text
    for change in changes:
        item = change["item"] or {}
        if change["entity"] == "USER" and item["userId"] != reader.id:  # a mentor's profile
            assert set(item) <= {*PUBLIC_PROFILE, "_version", "_lastChangedAt", "_deleted"}
        assert "email" not in item or item["email"] == reader.email
        assert "meetingLink" not in item or change["entity"] == "SESSION"


async def test_the_initial_sync_of_a_mentor_is_what_they_may_see(api, world):
    mona, ann = world["mona"], world["ann"]
    page = await pull(api, mona)
    assert page["hasMore"] is False and page["resetRequired"] is False
    changes = page["changes"]
    assert kinds(changes) == sorted(
        ["USER", "GOAL", "REFLECTION", "SESSION", "NOTIFICATION", "CATEGORY", "VENUE", "EVENT"]
        + ["USER"]  # Ann, his mentee: her public fields only
    )
    by_kind = {c["entity"]: c for c in changes}
    assert by_kind["GOAL"]["key"] == {"goalId": world["ids"]["mentored"]}
    assert by_kind["REFLECTION"]["key"] == {"userId": ann.id, "date": TODAY}
    assert by_kind["REFLECTION"]["item"]["text"] == "for Mona"
    users = {c["item"]["userId"]: c["item"] for c in changes if c["entity"] == "USER"}
    assert users.keys() == {mona.id, ann.id}
    assert users[mona.id]["email"] == mona.email
    assert users[ann.id]["name"] == "Ann" and "email" not in users[ann.id]
    assert all(c["deleted"] is False and c["version"] >= 1 for c in changes)
    assert_nothing_private(changes, mona)


async def test_the_initial_sync_of_a_mentee_has_their_own_items_and_not_others(api, world):
    ann = world["ann"]
    changes, _, requests = await pull_all(api, ann)
    assert requests == 1
    assert kinds(changes) == sorted(
        ["USER", "GOAL", "GOAL", "HABIT", "HABIT_COMPLETION", "REFLECTION", "REFLECTION", "TODO"]
        + ["SESSION", "CATEGORY", "VENUE", "EVENT", "USER"]  # the last: Mona, her mentor
    )
    users = {c["item"]["userId"]: c["item"] for c in changes if c["entity"] == "USER"}
    assert users.keys() == {ann.id, world["mona"].id}
    assert users[world["mona"].id]["name"] == "Mona" and "email" not in users[world["mona"].id]
    assert world["ids"]["bob"] not in json.dumps(changes)
    assert_nothing_private(changes, ann)


async def test_paging_with_a_limit_gives_the_same_items(api, world):
    mona = world["mona"]
    whole, _, _ = await pull_all(api, mona)
    cursor, paged, requests = None, [], 0
    while True:
        page = await pull(api, mona, cursor, limit=3)
        requests += 1
        assert len(page["changes"]) <= 3
        paged += page["changes"]
        cursor = page["cursor"]
        if not page["hasMore"]:
            break
    assert requests >= 3
    assert latest(paged).keys() == latest(whole).keys()


async def test_after_the_initial_sync_only_new_changes_come_and_only_to_readers(
    api, world, device_of
):
    ann, mona = world["ann"], world["mona"]
    _, ann_cursor, _ = await pull_all(api, ann)
    _, mona_cursor, _ = await pull_all(api, mona)
    todo = {"userId": ann.id, "todoId": world["ids"]["todo"]}
    await device_of(ann).push_one("TODO", todo, "PATCH", {"done": True}, base=1)
    page = await pull(api, ann, ann_cursor)
    [change] = page["changes"]
    assert (change["entity"], change["key"], change["version"]) == ("TODO", todo, 2)
    assert change["item"]["done"] is True and page["hasMore"] is False
    assert (await pull(api, mona, mona_cursor))["changes"] == []
    again = await pull(api, ann, page["cursor"])
    assert again == {**again, "changes": [], "hasMore": False, "resetRequired": False}


async def test_a_reconnect_with_fewer_than_200_changes_is_one_request(api, device_of):
    ann = await api.sign_up("Ann")
    _, cursor, _ = await pull_all(api, ann)
    phone = device_of(ann)
    result = await phone.push(
        *(
            phone.change("TODO", {"userId": ann.id, "todoId": new_id()}, "PUT", {"text": f"t{n}"})
            for n in range(150)
        )
    )
    assert result["lastMutationId"] == 150
    changes, _, requests = await pull_all(api, ann, cursor)
    assert requests == 1 and len(changes) == 150
    seqs = [c["seq"] for c in changes]
    assert seqs == list(range(seqs[0], seqs[0] + 150))


async def test_a_change_made_during_the_initial_sync_arrives_through_the_feed(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    await phone.push(
        *(
            phone.change("TODO", {"userId": ann.id, "todoId": new_id()}, "PUT", {"text": f"t{n}"})
            for n in range(3)
        )
    )
    api.clock.advance(minutes=1)
    first = await pull(api, ann, limit=2)
    assert first["hasMore"] is True
    late = {"userId": ann.id, "todoId": new_id()}
    await phone.push_one("TODO", late, "PUT", {"text": "while syncing"})
    rest, _, _ = await pull_all(api, ann, first["cursor"], limit=2)
    everything = latest(first["changes"] + rest)
    assert ("TODO", str(sorted(late.items()))) in everything
    assert len([k for k in everything if k[0] == "TODO"]) == 4


async def test_a_cursor_older_than_the_kept_feed_requires_a_reset(api, device_of):
    ann = await api.sign_up("Ann")
    _, cursor, _ = await pull_all(api, ann)
    phone = device_of(ann)
    await phone.push_one("TODO", {"userId": ann.id, "todoId": new_id()}, "PUT", {"text": "old"})
    travel(api, ann, days=181)
    await phone.push_one("TODO", {"userId": ann.id, "todoId": new_id()}, "PUT", {"text": "new"})
    removed = await expire(api.store, int(api.clock.now().timestamp()))
    assert removed["ChangeFeed"] == 2  # ann's sign-up and old todo
    page = await pull(api, ann, cursor)
    assert page["resetRequired"] is True and page["changes"] == []
    fresh, _, _ = await pull_all(api, ann)
    # The new todo was written within the index-lag window: it also comes from the feed.
    assert kinds(latest(fresh).values()) == ["TODO", "TODO", "USER"]


async def test_a_cursor_ahead_of_the_feed_requires_a_reset(api):
    ann = await api.sign_up("Ann")
    _, cursor, _ = await pull_all(api, ann)
    await api.store.update(
        "SyncState", {"ownerId": ann.id, "name": "feed"}, set={"lastSeq": 0}
    )  # e.g. the server's data was restored from an older backup
    assert (await pull(api, ann, cursor))["resetRequired"] is True


@pytest.mark.parametrize(
    "cursor", ["nonsense", "eyJ2IjoxfQ", ""], ids=["garbage", "fields", "empty"]
)
async def test_a_bad_cursor_is_bad_input(api, cursor):
    ann = await api.sign_up("Ann")
    error = await api.error(PULL, {"cursor": cursor}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "cursor")


async def test_another_users_cursor_and_a_zero_limit_are_bad_input(api):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    _, cursor, _ = await pull_all(api, ann)
    error = await api.error(PULL, {"cursor": cursor}, as_=bob)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "cursor")
    error = await api.error(PULL, {"limit": 0}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "limit")
    assert (await api.error(PULL, {}))["code"] == "UNAUTHENTICATED"
