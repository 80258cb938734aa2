"""Finding 7 of issue 10: a change a device cannot have meant (a lone UTF-16 surrogate, NUL,
a control character, NaN) is REJECTED on its own; the rest of the batch applies and
``lastMutationId`` moves on, so the queue never jams. Bodies are sent as a buggy client
would: Python's ``json.dumps`` escapes the surrogate and writes ``NaN``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.sync_server.sync_calls import ISSUES, PUSH, new_id


async def raw_push(api, person, device, *changes) -> dict[str, Any]:
    pushed = {"clientId": device.client_id, "changes": list(changes)}
    body = {"query": PUSH, "variables": {"input": pushed}}
    response = await api.client.post(
        "/graphql",
        content=json.dumps(body).encode(),  # ensure_ascii escapes "\ud800"; NaN allowed
        headers={"Authorization": f"Bearer {person.token}", "Content-Type": "application/json"},
    )
    answer: dict[str, Any] = response.json()
    assert not answer.get("errors"), answer
    return answer["data"]["pushChanges"]


BAD_FIELDS = [
    pytest.param({"title": "Run \ud800 far"}, "fields.title", id="lone-surrogate"),
    pytest.param({"title": "Run\x00"}, "fields.title", id="nul"),
    pytest.param({"title": "Run\x1b[31m"}, "fields.title", id="escape"),
    pytest.param({"title": "Run", "progress": float("nan")}, "fields.progress", id="nan"),
    pytest.param({"title": "Run", "progress": float("inf")}, "fields.progress", id="infinity"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_FIELDS)
async def test_a_bad_change_is_rejected_and_the_rest_apply(api, device_of, bad, field):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    before, broken, after = new_id(), new_id(), new_id()
    result = await raw_push(
        api,
        ann,
        phone,
        phone.change("GOAL", {"goalId": before}, "PUT", {"title": "Read", "identity": "a reader"}),
        phone.change("GOAL", {"goalId": broken}, "PUT", {"identity": "a runner", **bad}),
        phone.change("GOAL", {"goalId": after}, "PUT", {"title": "Swim", "identity": "a swimmer"}),
    )
    assert result["lastMutationId"] == 3
    first, rejected, last = result["results"]
    assert first["status"] == last["status"] == "APPLIED"
    assert rejected["status"] == "REJECTED"
    assert rejected["error"]["code"] == "BAD_USER_INPUT"
    assert rejected["error"]["field"] == field
    assert await api.store.get("Goals", {"goalId": broken}) is None
    assert await api.store.get("Goals", {"goalId": after}) is not None
    [issue] = (await api.data(ISSUES, {"status": None}, as_=ann))["listSyncIssues"]
    assert issue["code"] == "BAD_USER_INPUT" and issue["field"] == field


async def test_a_lone_surrogate_in_a_key_is_rejected_too(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    result = await raw_push(
        api,
        ann,
        phone,
        phone.change("TODO", {"userId": ann.id, "todoId": "x\udc00"}, "PUT", {"title": "Call"}),
    )
    assert result["lastMutationId"] == 1
    [rejected] = result["results"]
    assert rejected["status"] == "REJECTED" and rejected["error"]["field"] == "key.todoId"


async def test_text_is_stored_nfc_normalized(api, device_of):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    goal_id = new_id()
    decomposed = "Cafe\u0301 mornings"
    result = await raw_push(
        api,
        ann,
        phone,
        phone.change("GOAL", {"goalId": goal_id}, "PUT", {"title": decomposed, "identity": "me"}),
    )
    assert result["results"][0]["status"] == "APPLIED"
    stored = await api.store.get("Goals", {"goalId": goal_id})
    assert stored["title"] == "Caf\u00e9 mornings"


async def test_a_session_booked_offline_for_9999_is_rejected_and_nobody_notified(api, device_of):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    booking = {
        "mentorId": mona.id,
        "type": "virtual",
        "meetingLink": "https://meet.example/abc",
        "date": "9999-12-30",
        "time": "10:00",
        "duration": 60,
    }
    [result] = (await phone.push(phone.change("SESSION", {"sessionId": new_id()}, "PUT", booking)))[
        "results"
    ]
    assert result["status"] == "REJECTED"
    assert (result["error"]["code"], result["error"]["field"]) == ("BAD_USER_INPUT", "date")
    assert (await api.store.query("Notifications", mona.id)).items == []
