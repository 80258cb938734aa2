"""listSyncIssues and resolveSyncIssue: keep mine re-applies through the rules; keep theirs
and dismiss only close the issue."""

from __future__ import annotations

from tests.sync_server.sync_calls import ISSUES, RESOLVE, new_id

TODAY = "2026-11-24"


async def text_clash(api, device_of, ann):
    phone, tablet = device_of(ann), device_of(ann)
    key = {"userId": ann.id, "date": TODAY}
    await phone.push_one("REFLECTION", key, "PUT", {"mood": "GOOD", "text": "first"})
    await phone.push_one("REFLECTION", key, "PATCH", {"text": "phone"}, base=1)
    clash = await tablet.push_one("REFLECTION", key, "PATCH", {"text": "tablet"}, base=1)
    assert clash["status"] == "CONFLICT"
    return key, clash["issueId"]


async def test_keep_mine_applies_the_devices_text_and_resolves_the_issue(api, device_of):
    ann = await api.sign_up("Ann")
    key, issue_id = await text_clash(api, device_of, ann)
    resolved = await api.data(RESOLVE, {"id": issue_id, "r": "KEEP_MINE"}, as_=ann)
    assert resolved["resolveSyncIssue"]["status"] == "RESOLVED"
    assert (await api.store.get("Reflections", key))["text"] == "tablet"
    assert (await api.data(ISSUES, {"status": "OPEN"}, as_=ann))["listSyncIssues"] == []
    # Resolving again changes nothing.
    again = await api.data(RESOLVE, {"id": issue_id, "r": "DISMISS"}, as_=ann)
    assert again["resolveSyncIssue"]["status"] == "RESOLVED"


async def test_keep_theirs_and_dismiss_only_close_the_issue(api, device_of):
    ann = await api.sign_up("Ann")
    key, issue_id = await text_clash(api, device_of, ann)
    theirs = await api.data(RESOLVE, {"id": issue_id, "r": "KEEP_THEIRS"}, as_=ann)
    assert theirs["resolveSyncIssue"]["status"] == "RESOLVED"
    assert (await api.store.get("Reflections", key))["text"] == "phone"
    phone = device_of(ann)
    rejected = await phone.push_one(
        "HABIT", {"habitId": new_id()}, "PUT", {"goalId": new_id(), "title": "x"}
    )
    dismissed = await api.data(RESOLVE, {"id": rejected["issueId"], "r": "DISMISS"}, as_=ann)
    assert dismissed["resolveSyncIssue"]["status"] == "DISMISSED"
    listed = (await api.data(ISSUES, as_=ann))["listSyncIssues"]
    assert {i["status"] for i in listed} == {"RESOLVED", "DISMISSED"}


async def test_keep_mine_of_a_change_that_still_breaks_a_rule_fails_and_stays_open(api, device_of):
    ann = await api.sign_up("Ann")
    goal_id = new_id()
    phone = device_of(ann)
    await phone.push_one("GOAL", {"goalId": goal_id}, "PUT", {"title": "Fit"})
    rejected = await phone.push_one(
        "HABIT",
        {"habitId": new_id()},
        "PUT",
        {"goalId": goal_id, "title": "Run", "frequency": "daily", "duration": 30},
    )
    error = await api.error(RESOLVE, {"id": rejected["issueId"], "r": "KEEP_MINE"}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "duration")
    [issue] = (await api.data(ISSUES, {"status": "OPEN"}, as_=ann))["listSyncIssues"]
    assert issue["issueId"] == rejected["issueId"]


async def test_keep_mine_restores_a_todo_whose_edit_a_delete_discarded(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    key = {"userId": ann.id, "todoId": new_id()}
    await phone.push_one("TODO", key, "PUT", {"text": "Plan trip"})
    await phone.push_one("TODO", key, "PATCH", {"text": "Plan trip to Oslo"}, base=1)
    deleted = await tablet.push_one("TODO", key, "DELETE", base=1)
    await api.data(RESOLVE, {"id": deleted["issueId"], "r": "KEEP_MINE"}, as_=ann)
    todo = await api.store.get("Todos", key)
    assert todo.get("_deleted") is None and todo["text"] == "Plan trip to Oslo"


async def test_issues_are_their_users_alone_and_inputs_are_checked(api, device_of):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    _, issue_id = await text_clash(api, device_of, ann)
    assert (await api.data(ISSUES, as_=bob))["listSyncIssues"] == []
    error = await api.error(RESOLVE, {"id": issue_id, "r": "DISMISS"}, as_=bob)
    assert error["code"] == "NOT_FOUND"
    error = await api.error(RESOLVE, {"id": issue_id, "r": "MERGE"}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "resolution")
    error = await api.error(ISSUES, {"status": "NEW"}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "status")
    assert (await api.error(ISSUES, {}))["code"] == "UNAUTHENTICATED"
