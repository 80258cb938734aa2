"""The merge rule of each entity when two devices changed the same item (protocol section 5)."""

from __future__ import annotations

from tests.sync_server.sync_calls import ISSUES, new_id

TODAY = "2026-11-24"  # the clock fixture's day (a Tuesday)
SUNDAY = "2026-11-22"


async def goal_and_habit(phone):
    goal_id, habit_id = new_id(), new_id()
    await phone.push(
        phone.change("GOAL", {"goalId": goal_id}, "PUT", {"title": "Be fit"}),
        phone.change(
            "HABIT",
            {"habitId": habit_id},
            "PUT",
            {"goalId": goal_id, "title": "Pushups", "frequency": "daily", "duration": 2},
        ),
    )
    return goal_id, habit_id


# -- habit completions ----------------------------------------------------------------------


async def test_completed_true_wins_over_a_concurrent_uncomplete(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    _, habit_id = await goal_and_habit(phone)
    key = {"habitId": habit_id, "date": TODAY}
    done = await phone.push_one("HABIT_COMPLETION", key, "PUT", {"completed": True})
    assert done["status"] == "APPLIED" and done["item"]["completed"] is True
    # Offline, the tablet completed the same day (the same item) and then un-completed it.
    both = await tablet.push(
        tablet.change("HABIT_COMPLETION", key, "PUT", {"completed": True}),
        tablet.change("HABIT_COMPLETION", key, "PATCH", {"completed": False, "notes": "oops"}),
    )
    merged_create, uncomplete = both["results"]
    assert merged_create["status"] == "MERGED" and merged_create["version"] == 1
    # The phone's completion is concurrent with the un-complete: true wins, the note merges.
    assert uncomplete["status"] == "MERGED" and uncomplete["item"]["completed"] is True
    assert uncomplete["item"]["notes"] == "oops"
    late = await phone.push_one(
        "HABIT_COMPLETION",
        key,
        "PATCH",
        {"completed": False, "evidence": "https://x.example/p"},
        base=1,
    )
    assert late["status"] == "MERGED" and late["item"]["completed"] is True
    assert late["item"]["evidence"] == "https://x.example/p" and late["item"]["notes"] == "oops"
    # Not concurrent (the phone's base is the newest version): the un-complete applies.
    undone = await phone.push_one("HABIT_COMPLETION", key, "PATCH", {"completed": False}, base=3)
    assert undone["status"] == "APPLIED" and undone["item"]["completed"] is False
    stored = await api.store.get("HabitCompletions", key)
    assert (stored["completed"], stored["_version"]) == (False, 4)


async def test_a_completion_undone_elsewhere_reports_a_concurrent_note(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    _, habit_id = await goal_and_habit(phone)
    key = {"habitId": habit_id, "date": TODAY}
    await phone.push_one("HABIT_COMPLETION", key, "PUT", {"completed": True})
    undone = await phone.push_one("HABIT_COMPLETION", key, "DELETE", base=1)
    assert undone["status"] == "APPLIED" and undone["item"]["completed"] is False
    note = await tablet.push_one("HABIT_COMPLETION", key, "PATCH", {"notes": "felt good"}, base=1)
    assert note["status"] == "CONFLICT" and note["issueId"]
    assert note["item"]["completed"] is False and "notes" not in note["item"]


# -- reflections ----------------------------------------------------------------------------


async def test_the_same_text_changed_on_two_devices_keeps_the_server_copy_and_files_mine(
    api, device_of
):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    key = {"userId": ann.id, "date": TODAY}
    created = await phone.push_one("REFLECTION", key, "PUT", {"mood": "GOOD", "text": "first"})
    assert created["status"] == "APPLIED" and created["version"] == 1
    edited = await phone.push_one("REFLECTION", key, "PATCH", {"text": "phone's words"}, base=1)
    assert edited["status"] == "APPLIED"
    clash = await tablet.push_one(
        "REFLECTION", key, "PATCH", {"text": "tablet's words", "mood": "GREAT"}, base=1
    )
    assert clash["status"] == "CONFLICT" and clash["issueId"]
    # The untouched field applied; the clashing text stayed the server's.
    assert clash["item"]["text"] == "phone's words" and clash["item"]["mood"] == "GREAT"
    [issue] = (await api.data(ISSUES, as_=ann))["listSyncIssues"]
    assert issue["issueId"] == clash["issueId"] and issue["field"] == "text"
    assert issue["mine"] == {"text": "tablet's words"}
    assert issue["theirs"] == {"text": "phone's words"}


async def test_different_reflection_fields_merge_and_a_devices_own_edits_never_clash(
    api, device_of
):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    key = {"userId": ann.id, "date": TODAY}
    await phone.push_one("REFLECTION", key, "PUT", {"mood": "GOOD", "text": "first"})
    mood = await tablet.push_one("REFLECTION", key, "PATCH", {"mood": "BAD"}, base=1)
    assert mood["status"] == "APPLIED"  # made on the newest version: nothing to merge
    # Two edits the phone made offline on version 1: the first meets the tablet's mood (a
    # field it did not touch, so MERGED), the second follows the phone's own first edit.
    own = await phone.push(
        phone.change("REFLECTION", key, "PATCH", {"text": "second"}, base=1),
        phone.change("REFLECTION", key, "PATCH", {"text": "third"}, base=1),
    )
    statuses = [r["status"] for r in own["results"]]
    assert statuses == ["MERGED", "APPLIED"]
    stored = await api.store.get("Reflections", key)
    assert (stored["text"], stored["mood"]) == ("third", "BAD")


async def test_a_reflection_edit_wins_over_a_delete_both_ways(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    key = {"userId": ann.id, "date": TODAY}
    await phone.push_one("REFLECTION", key, "PUT", {"mood": "GOOD", "text": "keep me"})
    await phone.push_one("REFLECTION", key, "PATCH", {"text": "edited"}, base=1)
    delete = await tablet.push_one("REFLECTION", key, "DELETE", base=1)
    assert delete["status"] == "CONFLICT" and delete["issueId"]
    assert delete["item"]["_deleted"] is False and delete["item"]["text"] == "edited"
    # The other way round: deleted first, then an edit made on the old version restores it.
    gone = await phone.push_one("REFLECTION", key, "DELETE", base=2)
    assert gone["status"] == "APPLIED" and gone["item"]["_deleted"] is True
    restored = await tablet.push_one("REFLECTION", key, "PATCH", {"mood": "GREAT"}, base=2)
    assert restored["status"] == "MERGED" and restored["item"]["_deleted"] is False
    assert (restored["item"]["mood"], restored["item"]["text"]) == ("GREAT", "edited")


# -- goals, habits, todos: per field, the later arrival wins -----------------------------------


async def test_goal_fields_merge_and_the_later_arrival_wins_on_the_same_field(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    goal_id = new_id()
    key = {"goalId": goal_id}
    await phone.push_one("GOAL", key, "PUT", {"title": "Be fit", "description": "old"})
    await phone.push_one("GOAL", key, "PATCH", {"title": "Be very fit"}, base=1)
    desc = await tablet.push_one("GOAL", key, "PATCH", {"description": "new"}, base=1)
    assert desc["status"] == "MERGED"
    assert (desc["item"]["title"], desc["item"]["description"]) == ("Be very fit", "new")
    title = await tablet.push_one("GOAL", key, "PATCH", {"title": "Be strong"}, base=1)
    assert title["item"]["title"] == "Be strong"


async def test_goal_status_goes_through_the_goal_rules(api, device_of):
    ann = await api.sign_up("Ann")
    mona = await api.sign_up("Mona", role="MENTOR")
    phone, monas = device_of(ann), device_of(mona)
    key = {"goalId": new_id()}
    created = await phone.push_one(
        "GOAL", key, "PUT", {"title": "Lead", "mentorId": mona.id, "status": "active"}
    )
    # With a mentor, only the mentor's approval activates it: the server decides.
    assert created["status"] == "APPLIED" and created["item"]["status"] == "pending_approval"
    approved = await monas.push_one("GOAL", key, "PATCH", {"status": "active"}, base=2)
    assert approved["item"]["status"] == "active" and approved["item"]["mentorApproved"] is True
    back = await phone.push_one("GOAL", key, "PATCH", {"status": "draft"}, base=3)
    assert back["status"] == "REJECTED" and back["error"]["code"] == "CONFLICT"


async def test_a_goal_edit_wins_over_an_archive_both_ways(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    key = {"goalId": new_id()}
    await phone.push_one("GOAL", key, "PUT", {"title": "Be fit", "status": "active"})
    await phone.push_one("GOAL", key, "PATCH", {"title": "Be fitter"}, base=2)
    archive = await tablet.push_one("GOAL", key, "DELETE", base=2)
    assert archive["status"] == "CONFLICT" and archive["item"]["status"] == "active"
    archived = await phone.push_one("GOAL", key, "DELETE", base=3)
    assert archived["status"] == "APPLIED" and archived["item"]["status"] == "archived"
    edit = await tablet.push_one("GOAL", key, "PATCH", {"category": "health"}, base=3)
    assert edit["status"] == "MERGED"
    assert (edit["item"]["status"], edit["item"]["category"]) == ("draft", "health")


async def test_habit_fields_merge_and_status_changes_apply(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    _, habit_id = await goal_and_habit(phone)
    key = {"habitId": habit_id}
    await phone.push_one("HABIT", key, "PATCH", {"title": "Squats"}, base=1)
    paused = await tablet.push_one(
        "HABIT", key, "PATCH", {"status": "paused", "reward": "tea"}, base=1
    )
    assert paused["status"] == "MERGED"
    item = paused["item"]
    assert (item["title"], item["status"], item["reward"]) == ("Squats", "paused", "tea")


async def test_todo_delete_wins_over_an_edit_both_ways(api, device_of):
    ann = await api.sign_up("Ann")
    phone, tablet = device_of(ann), device_of(ann)
    key = {"userId": ann.id, "todoId": new_id()}
    created = await phone.push_one("TODO", key, "PUT", {"text": "Call mum", "done": True})
    assert created["item"]["done"] is True and created["item"]["priority"] == "medium"
    await phone.push_one("TODO", key, "PATCH", {"text": "Call mum today"}, base=2)
    deleted = await tablet.push_one("TODO", key, "DELETE", base=2)
    assert deleted["status"] == "MERGED" and deleted["item"]["_deleted"] is True
    [issue] = (await api.data(ISSUES, as_=ann))["listSyncIssues"]
    assert issue["issueId"] == deleted["issueId"] and issue["code"] == "EDIT_DISCARDED"
    assert issue["mine"]["text"] == "Call mum today"
    # An edit made before a delete it had not seen is reported and not applied.
    other = {"userId": ann.id, "todoId": new_id()}
    await phone.push_one("TODO", other, "PUT", {"text": "Buy milk"})
    await phone.push_one("TODO", other, "DELETE", base=1)
    edit = await tablet.push_one("TODO", other, "PATCH", {"priority": "high"}, base=1)
    assert edit["status"] == "CONFLICT" and edit["item"]["_deleted"] is True
    assert edit["item"]["priority"] == "medium"


async def test_todos_of_another_user_are_refused(api, device_of):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    result = await device_of(bob).push_one(
        "TODO", {"userId": ann.id, "todoId": new_id()}, "PUT", {"text": "x"}
    )
    assert result["status"] == "REJECTED" and result["error"]["code"] == "FORBIDDEN"


# -- notifications and session requests -----------------------------------------------------


async def test_notification_read_true_wins(api, device_of):
    ann = await api.sign_up("Ann")
    mona = await api.sign_up("Mona", role="MENTOR")
    phone, tablet = device_of(ann), device_of(ann)
    goal_id = new_id()
    await phone.push_one("GOAL", {"goalId": goal_id}, "PUT", {"title": "x", "mentorId": mona.id})
    await phone.push_one("GOAL", {"goalId": goal_id}, "PATCH", {"status": "active"}, base=1)
    await device_of(mona).push_one(
        "GOAL", {"goalId": goal_id}, "PATCH", {"status": "active"}, base=2
    )
    [note] = (await api.store.query("Notifications", ann.id)).items
    key = {"notificationId": note["notificationId"]}
    read = await phone.push_one("NOTIFICATION", key, "PATCH", {"read": True}, base=1)
    assert read["status"] == "APPLIED" and read["item"]["read"] is True and read["key"] == key
    unread = await tablet.push_one("NOTIFICATION", key, "PATCH", {"read": False}, base=1)
    assert unread["status"] == "MERGED" and unread["item"]["read"] is True
    delete = await tablet.push_one("NOTIFICATION", key, "DELETE", base=2)
    assert delete["status"] == "REJECTED"
    other = await device_of(mona).push_one("NOTIFICATION", key, "PATCH", {"read": True})
    assert other["status"] == "REJECTED" and other["error"]["code"] == "NOT_FOUND"


async def test_a_session_request_is_decided_by_the_server(api, device_of):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    mona = await api.sign_up("Mona", role="MENTOR")
    request = {
        "mentorId": mona.id,
        "type": "virtual",
        "meetingLink": "https://meet.example/x",
        "date": "2026-11-26",
        "time": "14:00",
        "duration": 60,
        "price": 0,
    }
    booked = await device_of(ann).push_one("SESSION", {"sessionId": new_id()}, "PUT", request)
    assert booked["status"] == "APPLIED" and booked["item"]["status"] == "PENDING"
    assert booked["item"]["price"] == 50.0  # the server's price, never the device's
    taken = await device_of(bob).push_one("SESSION", {"sessionId": new_id()}, "PUT", request)
    assert taken["status"] == "REJECTED" and taken["error"]["code"] == "CONFLICT"
    assert taken["error"]["field"] == "date"


async def test_a_session_request_at_a_venue_switched_off_is_rejected_with_the_reason(
    api, device_of
):
    ann, mona = await api.sign_up("Ann"), await api.sign_up("Mona", role="MENTOR")
    venue_id = new_id()
    await api.store.put(
        "Venues",
        {
            "venueId": venue_id,
            "name": "Alfama Library",
            "type": "library",
            "address": "1 Main St",
            "city": "Lisbon",
            "country": "Portugal",
            "capacity": 10,
            "amenities": [],
            "isPartner": False,
            "discountPercentage": 0,
            "isActive": False,
        },
    )
    request = {
        "mentorId": mona.id,
        "type": "in_person",
        "venueId": venue_id,
        "date": "2026-11-26",
        "time": "14:00",
        "duration": 60,
    }
    refused = await device_of(ann).push_one("SESSION", {"sessionId": new_id()}, "PUT", request)
    assert refused["status"] == "REJECTED" and refused["error"]["field"] == "venueId"
    assert "Alfama Library is not taking bookings" in refused["error"]["message"]
    assert (await api.store.scan("Sessions", limit=10)).items == []
