"""The change feed: every committed write reaches each reader's feed, gap-free, in the same
transaction, without private attributes."""

from __future__ import annotations

import asyncio

import pytest

from backend.auth.tokens import TokenIssuer
from backend.changefeed.feed import WrittenItem, plan_entries
from backend.services.context import ServiceContext, Services, Viewer
from backend.services.todos import create_todo
from tests.api.asgi import SECRET
from tests.api.mentorship_world import SUBMIT_FEEDBACK, completed, feedback_input, travel
from tests.sync_server.sync_calls import feed_of, new_id, pull_all

SHARE = """mutation($d: String!, $i: UpdateReflectionInput!) {
  updateReflection(date: $d, input: $i) { isShared } }"""
DAILY = """mutation($i: CreateReflectionInput!) {
  createReflection(input: $i) { reflectionId } }"""
TODO = "mutation($i: CreateTodoInput!) { createTodo(input: $i) { todoId } }"
TODAY = "2026-11-24"
PROFILE = """mutation($u: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $u, input: $i) { userId } }"""


def seqs(entries):
    return [int(e["seq"]) for e in entries]


async def last_seq(api, feed_id):
    state = await api.store.get("SyncState", {"ownerId": feed_id, "name": "feed"})
    return 0 if state is None else int(state["lastSeq"])


async def test_sign_up_appends_the_users_own_item_and_no_companion(api):
    ann = await api.sign_up("Ann")
    [entry] = await feed_of(api, ann.id)
    assert (entry["seq"], entry["entity"], entry["key"]) == (1, "USER", {"userId": ann.id})
    assert entry["version"] == 1 and entry["deleted"] is False
    assert entry["item"]["email"] == ann.email
    assert "passwordHash" not in entry["item"] and "_ttl" not in entry["item"]
    assert entry["_ttl"] > int(api.clock.now().timestamp()) + 179 * 86400
    assert await last_seq(api, ann.id) == 1
    await api.data(PROFILE, {"u": ann.id, "i": {"interests": ["chess", "go"]}}, as_=ann)
    entries = await feed_of(api, ann.id)
    assert [(e["entity"], e["version"]) for e in entries] == [("USER", 1), ("USER", 2)]
    assert entries[1]["item"]["interests"] == ["chess", "go"]


async def test_a_shared_reflection_reaches_the_mentor_and_unsharing_removes_it(api):
    ann = await api.sign_up("Ann")
    mona = await api.sign_up("Mona", role="MENTOR")
    await api.data(DAILY, {"i": {"date": TODAY, "mood": "GOOD", "text": "private"}}, as_=ann)
    assert [e["entity"] for e in await feed_of(api, mona.id)] == ["USER"]
    await api.data(
        SHARE, {"d": TODAY, "i": {"isShared": True, "sharedWithMentorId": mona.id}}, as_=ann
    )
    shared = (await feed_of(api, mona.id))[-1]
    assert shared["entity"] == "REFLECTION" and shared["deleted"] is False
    assert shared["key"] == {"userId": ann.id, "date": TODAY}
    assert shared["item"]["text"] == "private" and shared["version"] == 2
    assert "_fieldVersions" not in shared["item"]
    await api.data(SHARE, {"d": TODAY, "i": {"isShared": False}}, as_=ann)
    removal = (await feed_of(api, mona.id))[-1]
    assert (removal["entity"], removal["deleted"], removal["version"]) == ("REFLECTION", True, 3)
    assert "item" not in removal
    own = await feed_of(api, ann.id)
    assert [e["version"] for e in own if e["entity"] == "REFLECTION"] == [1, 2, 3]
    assert all(not e["deleted"] for e in own)
    assert seqs(await feed_of(api, mona.id)) == [1, 2, 3]


async def test_concurrent_writes_get_gap_free_strictly_increasing_seqs(api):
    ann = await api.sign_up("Ann")
    results = await asyncio.gather(
        *(api.data(TODO, {"i": {"text": f"todo {n}"}}, as_=ann) for n in range(12))
    )
    assert len({r["createTodo"]["todoId"] for r in results}) == 12
    entries = await feed_of(api, ann.id)
    assert seqs(entries) == list(range(1, 14))  # the user item, then 12 todos
    assert await last_seq(api, ann.id) == 13
    assert sorted(e["item"]["text"] for e in entries[1:]) == sorted(f"todo {n}" for n in range(12))


async def test_two_server_processes_racing_on_one_feed_keep_it_gap_free(api, engine_name, request):
    """Two ``Services`` share the store but not their locks, like two processes: a lost race
    on the feed counter is retried, never a gap or a repeated seq."""
    if (
        engine_name == "dynamodb"
        and not request.getfixturevalue("dynamodb_server").isolates_transactions
    ):
        pytest.skip(
            "moto's transactions are not isolated: a cancelled one restores whole tables from a "
            "copy taken before it ran, erasing writes that other requests made meanwhile"
        )
    ann = await api.sign_up("Ann")
    other = Services(store=api.store, clock=api.clock, tokens=TokenIssuer(SECRET, api.clock))
    contexts = [ServiceContext(services, Viewer(ann.id)) for services in (api.services, other) * 4]
    made = await asyncio.gather(
        *(create_todo(ctx, {"text": f"t{n}"}) for n, ctx in enumerate(contexts))
    )
    assert len(made) == 8
    entries = await feed_of(api, ann.id)
    assert seqs(entries) == list(range(1, 10))
    assert {e["key"]["todoId"] for e in entries[1:]} == {t["todoId"] for t in made}


async def test_an_append_by_another_process_costs_one_more_transaction_not_a_gap(api, monkeypatch):
    ann = await api.sign_up("Ann")
    other = Services(store=api.store, clock=api.clock, tokens=TokenIssuer(SECRET, api.clock))
    here, there = (
        ServiceContext(api.services, Viewer(ann.id)),
        ServiceContext(other, Viewer(ann.id)),
    )
    await create_todo(here, {"text": "here"})  # this process now remembers seq 2
    await create_todo(there, {"text": "there"})  # the other one appends seq 3
    transact = api.store.transact
    sizes: list[int] = []

    async def counting(actions):
        sizes.append(len(actions))
        await transact(actions)

    monkeypatch.setattr(api.store, "transact", counting)
    await create_todo(here, {"text": "here again"})
    assert sizes == [3, 3]  # todo + counter + entry, refused once on the stale counter
    entries = await feed_of(api, ann.id)
    assert seqs(entries) == [1, 2, 3, 4]
    assert [e["item"].get("text") for e in entries[1:]] == ["here", "there", "here again"]


async def test_a_goal_reaches_its_mentor_and_a_replaced_mentor_gets_a_removal(api, device_of):
    ann = await api.sign_up("Ann")
    mona = await api.sign_up("Mona", role="MENTOR")
    max_ = await api.sign_up("Max", role="BOTH")
    phone = device_of(ann)
    key = {"goalId": new_id()}
    await phone.push_one("GOAL", key, "PUT", {"title": "Lead", "mentorId": mona.id})
    await phone.push_one("GOAL", key, "PATCH", {"mentorId": max_.id}, base=1)
    monas = [e for e in await feed_of(api, mona.id) if e["entity"] == "GOAL"]
    assert [(e["version"], e["deleted"]) for e in monas] == [(1, False), (2, True)]
    maxs = [e for e in await feed_of(api, max_.id) if e["entity"] == "GOAL"]
    assert [(e["version"], e["item"]["mentorId"]) for e in maxs] == [(2, max_.id)]


async def test_session_feedback_reaches_both_and_anonymous_is_detached_for_the_mentor(api):
    """Issue 10, finding 5: the mentor's copy is keyed by the feedback, names neither the
    mentee nor the session, and no SESSION entry beside it carries the feedback."""
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = await completed(api, ann, mona)
    travel(api, ann, mona, hours=25)
    before = await last_seq(api, mona.id)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann)
    added = [e for e in await feed_of(api, mona.id) if e["seq"] > before]
    [for_mona] = [e for e in added if e["entity"] == "SESSION_FEEDBACK"]
    feedback_id = for_mona["item"]["feedbackId"]
    assert for_mona["key"] == {"sessionId": f"anonymous#{feedback_id}"}
    assert for_mona["item"]["sessionId"] == f"anonymous#{feedback_id}"
    assert "menteeId" not in for_mona["item"] and for_mona["item"]["isAnonymous"] is True
    assert [e["entity"] for e in added if e["entity"] == "SESSION"] == []
    for secret in (session_id, ann.id):
        assert secret not in str(added)
    [for_ann] = [e for e in await feed_of(api, ann.id) if e["entity"] == "SESSION_FEEDBACK"]
    assert for_ann["key"] == {"sessionId": session_id}
    assert for_ann["item"]["menteeId"] == ann.id
    sessions = [e for e in await feed_of(api, ann.id) if e["entity"] == "SESSION"]
    assert [e["item"]["status"] for e in sessions][-1] == "COMPLETED"

    changes, _cursor, _requests = await pull_all(api, mona)  # a fresh device: the snapshot
    copies = [c for c in changes if c["entity"] == "SESSION_FEEDBACK"]
    assert copies and all(c["key"] == {"sessionId": f"anonymous#{feedback_id}"} for c in copies)
    assert all("menteeId" not in c["item"] for c in copies)
    [session] = [c for c in changes if c["entity"] == "SESSION"]
    assert "rating" not in session["item"] and "review" not in session["item"]
    assert not session["item"].get("feedbackSubmitted")


def test_private_attributes_and_companion_items_never_reach_a_feed():
    user = {
        "userId": "u1",
        "email": "u1@example.com",
        "badgeKeys": ["streak:7"],
        "isAdmin": True,
        "_version": 3,
        "_ttl": 1,
        "_clientId": "c",
    }
    planned = plan_entries(
        [
            WrittenItem("Users", user, None),
            WrittenItem("Users", {"userId": "#login#u1@example.com", "_version": 1}, None),
            WrittenItem("Users", {"userId": "u1#interest#chess", "_version": 1}, None),
            WrittenItem("Categories", {"categoryId": "#name#art", "_version": 1}, None),
            WrittenItem("Reviews", {"targetId": "u1", "authorId": "u2", "_version": 1}, None),
            WrittenItem(
                "Events",
                {"eventId": "e1", "meetingLink": "https://x", "day": "2026-12-01", "_version": 1},
                None,
            ),
            WrittenItem(
                "MentorSessionNotes", {"sessionId": "s", "mentorId": "m", "_version": 1}, None
            ),
        ]
    )
    assert set(planned) == {"u1", "public", "m"}
    [own] = planned["u1"]
    assert own.item == {"userId": "u1", "email": "u1@example.com", "_version": 3, "_deleted": False}
    [event] = planned["public"]
    assert event.item == {"eventId": "e1", "_version": 1, "_deleted": False}
