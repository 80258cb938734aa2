"""pushChanges: idempotent by (user, clientId, mutationId), gaps refused, rejections recorded."""

from __future__ import annotations

import pytest

from backend.storage.errors import StorageUnavailable
from tests.sync_server.sync_calls import ISSUES, feed_of, new_id


def goal(title: str = "Run a 10k", **extra):
    return {"title": title, "identity": "a runner", **extra}


async def client_record(api, person, device):
    return await api.store.get(
        "SyncState", {"ownerId": person.id, "name": f"client#{device.client_id}"}
    )


async def test_a_retried_push_is_a_duplicate_and_applies_once(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    goal_id = new_id()
    change = phone.change("GOAL", {"goalId": goal_id}, "PUT", goal())
    first = await phone.push(change)
    assert first["lastMutationId"] == 1
    [applied] = first["results"]
    assert applied["status"] == "APPLIED" and applied["version"] == 1
    assert applied["item"]["title"] == "Run a 10k" and applied["item"]["status"] == "draft"
    assert applied["item"]["_deleted"] is False and "_clientId" not in applied["item"]

    again = await phone.push(change)  # the response was lost: the device sends it again
    [duplicate] = again["results"]
    assert again["lastMutationId"] == 1
    assert duplicate["status"] == "DUPLICATE" and duplicate["version"] == 1
    assert duplicate["item"]["title"] == "Run a 10k"
    stored = await api.store.get("Goals", {"goalId": goal_id})
    assert stored["_version"] == 1
    assert [e["entity"] for e in await feed_of(api, ann.id)].count("GOAL") == 1
    assert (await client_record(api, ann, phone))["lastMutationId"] == 1


async def test_a_gap_refuses_the_whole_request_and_applies_nothing(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    await phone.push_one("GOAL", {"goalId": new_id()}, "PUT", goal())
    second, fourth = new_id(), new_id()
    error = await phone.push_error(
        phone.change("GOAL", {"goalId": second}, "PUT", goal(), mutation_id=2),
        phone.change("GOAL", {"goalId": fourth}, "PUT", goal(), mutation_id=4),
    )
    assert error["code"] == "MUTATION_GAP" and error["field"] == "changes"
    assert "resend from 2" in error["message"]
    assert await api.store.get("Goals", {"goalId": second}) is None
    assert await api.store.get("Goals", {"goalId": fourth}) is None
    assert (await client_record(api, ann, phone))["lastMutationId"] == 1


async def test_a_rejected_change_advances_the_queue_and_becomes_an_issue(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    goal_id, habit_id, later = new_id(), new_id(), new_id()
    habit = {"goalId": goal_id, "title": "Stretch", "frequency": "daily", "duration": 5}
    result = await phone.push(
        phone.change("GOAL", {"goalId": goal_id}, "PUT", goal()),
        phone.change("HABIT", {"habitId": habit_id}, "PUT", habit),
        phone.change("GOAL", {"goalId": later}, "PUT", goal("Read more")),
    )
    assert result["lastMutationId"] == 3
    applied, rejected, after = result["results"]
    assert applied["status"] == after["status"] == "APPLIED"
    assert rejected["status"] == "REJECTED" and rejected["item"] is None
    assert rejected["error"] == {
        "code": "BAD_USER_INPUT",
        "message": rejected["error"]["message"],
        "field": "duration",
        "retryable": False,
    }
    assert await api.store.get("Habits", {"habitId": habit_id}) is None
    [issue] = (await api.data(ISSUES, {"status": "OPEN"}, as_=ann))["listSyncIssues"]
    assert issue["issueId"] == rejected["issueId"]
    assert issue["entity"] == "HABIT" and issue["key"] == {"habitId": habit_id}
    assert (issue["code"], issue["field"], issue["status"]) == (
        "BAD_USER_INPUT",
        "duration",
        "OPEN",
    )
    assert issue["mine"]["duration"] == 5 and issue["theirs"] is None
    # The issue syncs down like any item.
    feed = await feed_of(api, ann.id)
    assert any(
        e["entity"] == "SYNC_ISSUE" and e["key"]["issueId"] == issue["issueId"] for e in feed
    )


async def test_another_users_items_are_refused_without_revealing_them(api, device_of):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    goal_id, habit_id = new_id(), new_id()
    phone = device_of(ann)
    await phone.push(
        phone.change("GOAL", {"goalId": goal_id}, "PUT", goal()),
        phone.change(
            "HABIT",
            {"habitId": habit_id},
            "PUT",
            {"goalId": goal_id, "title": "Run", "frequency": "daily", "duration": 2},
        ),
        phone.change("HABIT_COMPLETION", {"habitId": habit_id, "date": "2026-11-24"}, "PUT", {}),
        phone.change(
            "REFLECTION", {"userId": ann.id, "date": "2026-11-24"}, "PUT", {"mood": "GOOD"}
        ),
    )
    bobs = device_of(bob)
    result = await bobs.push(
        bobs.change("GOAL", {"goalId": goal_id}, "PATCH", {"title": "Mine now"}, base=1),
        bobs.change("GOAL", {"goalId": goal_id}, "DELETE"),
        bobs.change("HABIT", {"habitId": habit_id}, "PATCH", {"title": "Mine"}),
        bobs.change("HABIT_COMPLETION", {"habitId": habit_id, "date": "2026-11-24"}, "DELETE"),
        bobs.change(
            "REFLECTION", {"userId": ann.id, "date": "2026-11-24"}, "PATCH", {"text": "hi"}
        ),
        bobs.change(
            "REFLECTION",
            {"userId": ann.id, "date": "2026-11-23"},
            "PATCH",
            {"mentorFeedback": {"feedback": "hi"}},
        ),
    )
    assert [(r["status"], r["error"]["code"], r["item"]) for r in result["results"]] == [
        ("REJECTED", "FORBIDDEN", None)
    ] * 6
    for issue in (await api.data(ISSUES, as_=bob))["listSyncIssues"]:
        assert issue["theirs"] is None
    assert (await api.store.get("Goals", {"goalId": goal_id}))["_version"] == 1
    completion = {"habitId": habit_id, "date": "2026-11-24"}
    assert (await api.store.get("HabitCompletions", completion))["completed"] is True


async def test_unavailable_storage_stops_the_batch_and_the_resend_finishes_it(
    api, device_of, monkeypatch
):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    ids = [new_id() for _ in range(3)]
    changes = [phone.change("GOAL", {"goalId": i}, "PUT", goal()) for i in ids]
    transact = api.store.transact
    calls = {"n": 0}

    async def flaky(actions):
        calls["n"] += 1
        if calls["n"] == 2:
            raise StorageUnavailable("throttled")
        await transact(actions)

    monkeypatch.setattr(api.store, "transact", flaky)
    first = await phone.push(*changes)
    assert first["lastMutationId"] == 1
    assert [r["status"] for r in first["results"]] == ["APPLIED"]
    resent = await phone.push(*changes)
    assert resent["lastMutationId"] == 3
    assert [r["status"] for r in resent["results"]] == ["DUPLICATE", "APPLIED", "APPLIED"]
    for goal_id in ids:
        assert (await api.store.get("Goals", {"goalId": goal_id}))["_version"] == 1


async def test_two_devices_of_one_user_have_their_own_mutation_ids(api, device_of):
    ann = await api.sign_up("Ann")
    phone, laptop = device_of(ann), device_of(ann)
    assert (await phone.push_one("GOAL", {"goalId": new_id()}, "PUT", goal()))[
        "status"
    ] == "APPLIED"
    result = await laptop.push_one("GOAL", {"goalId": new_id()}, "PUT", goal("Other"))
    assert result["status"] == "APPLIED" and result["mutationId"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"clientId": "not-a-uuid"}, "clientId"),
        ({"changes": "many"}, "changes"),
        ({"mutationId": 0}, "mutationId"),
        ({"baseVersion": -1}, "baseVersion"),
    ],
    ids=["client-id", "too-many", "mutation-id", "base-version"],
)
async def test_bad_requests_are_refused_whole(api, device_of, payload, field):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    change = phone.change("GOAL", {"goalId": new_id()}, "PUT", goal())
    client_id = phone.client_id
    changes = [change]
    if "clientId" in payload:
        client_id = payload["clientId"]
    elif "changes" in payload:
        changes = [phone.change("GOAL", {"goalId": new_id()}, "PUT", goal()) for _ in range(501)]
    else:
        changes = [{**change, **payload}]
    from tests.sync_server.sync_calls import PUSH

    error = await api.error(PUSH, {"input": {"clientId": client_id, "changes": changes}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await client_record(api, ann, phone) is None


async def test_a_bad_key_or_read_only_entity_is_rejected_and_recorded(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    result = await phone.push(
        phone.change("GOAL", {"id": "x"}, "PUT", goal()),
        phone.change("VENUE", {"venueId": new_id()}, "PUT", {"name": "Mine"}),
        phone.change("HABIT", {"habitId": new_id()}, "DELETE"),
    )
    assert result["lastMutationId"] == 3
    assert [(r["status"], r["error"]["field"]) for r in result["results"]] == [
        ("REJECTED", "key"),
        ("REJECTED", "entity"),
        ("REJECTED", "op"),
    ]
    assert len((await api.data(ISSUES, as_=ann))["listSyncIssues"]) == 3


async def test_pushing_needs_a_signed_in_user(api):
    from tests.sync_server.sync_calls import PUSH

    error = await api.error(PUSH, {"input": {"clientId": new_id(), "changes": []}})
    assert error["code"] == "UNAUTHENTICATED"
