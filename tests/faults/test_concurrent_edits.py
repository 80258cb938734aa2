"""S6, two devices of one user editing the same item offline and reconnecting in either order
(the merge table of docs/sync-protocol.md section 5): the same reflection, completion or
todo, and a delete against an edit. Whatever the order, the outcome is the table's, nothing
either device wrote vanishes without an issue that both devices show, and both end with the
same rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync.entities import Entity
from sync.issues import Issue
from tests.faults.invariants import (
    Answer,
    MutationKey,
    assert_feed_gap_free,
    assert_no_write_lost_or_doubled,
)
from tests.faults.proxy import FaultProxy
from tests.sync.real_server import Device, sign_up

ORDERS = pytest.mark.parametrize("first", ["a", "b"])


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def yesterday() -> str:
    return (datetime.now(UTC).date() - timedelta(days=1)).isoformat()


async def pair(server: Any, devices: Any) -> tuple[Device, Device]:
    email = sign_up(server.url)
    a = await devices(email, "a")
    return a, await devices(email, "b", like=a)


async def both_synced(a: Device, b: Device) -> None:
    await a.sync()
    await b.sync()


async def reconnect(a: Device, b: Device, first: str) -> None:
    """Both come back online, ``first`` first; then the first one pulls the other's outcome."""
    order = (a, b) if first == "a" else (b, a)
    for device in (*order, order[0]):
        await device.sync()


def last_answer(final: dict[MutationKey, Answer], device: Device) -> Answer:
    """The server's answer to the newest change ``device`` sent."""
    client_id = device.store.sync_state().client_id
    return final[max(k for k in final if k[0] == client_id)]


def only_issue(*devices: Device) -> Issue:
    """The one open issue, the same on every device."""
    [issue] = devices[0].store.issues()
    for device in devices[1:]:
        assert device.store.issues() == [issue]
    return issue


async def settle(proxy: FaultProxy, server: Any, a: Device, b: Device) -> dict[Any, Answer]:
    final = assert_no_write_lost_or_doubled(proxy, [a, b])
    await assert_feed_gap_free(server, a.store.user_id())
    return final


# -- the same item edited on both -----------------------------------------------------------


@ORDERS
async def test_the_same_reflection_text_edited_on_both_keeps_one_and_files_the_other(
    server, proxy: FaultProxy, devices, first
):
    a, b = await pair(server, devices)
    a.store.write_reflection(today(), "GOOD", text="first draft")
    await both_synced(a, b)
    key = {"userId": a.store.user_id(), "date": today()}

    a.store.write_reflection(today(), text="a's text", mood_score=8)
    b.store.write_reflection(today(), "BAD", text="b's text")
    await reconnect(a, b, first)

    final = await settle(proxy, server, a, b)
    winner, loser = (a, b) if first == "a" else (b, a)
    assert last_answer(final, winner).status == "APPLIED"
    assert last_answer(final, loser).status == "CONFLICT"
    reflection = a.store.get(Entity.REFLECTION, key)
    assert reflection is not None
    assert (reflection["mood"], reflection["moodScore"]) == ("BAD", 8)  # untouched fields apply
    assert reflection["text"] == f"{winner.path.stem}'s text"
    issue = only_issue(a, b)
    assert (issue.code, issue.field) == ("CONFLICT", "text")
    assert issue.mine == {"text": f"{loser.path.stem}'s text"}  # the incoming text is kept


@ORDERS
async def test_the_same_completion_on_both_stays_completed_and_merges_notes_and_evidence(
    server, proxy: FaultProxy, devices, first
):
    a, b = await pair(server, devices)
    goal = a.store.create_goal("Run")
    habit = a.store.create_habit(goal["goalId"], "Shoes on", duration=1)["habitId"]
    a.store.complete_habit(habit, today())
    await both_synced(a, b)

    a.store.complete_habit(habit, today(), notes="a's notes")  # a writes notes, then un-ticks
    a.store.uncomplete_habit(habit, today())
    b.store.complete_habit(habit, today(), evidence="https://example.com/b.jpg")
    a.store.complete_habit(habit, yesterday(), notes="a's notes")  # both tick yesterday
    b.store.complete_habit(habit, yesterday(), evidence="https://example.com/b.jpg")
    await reconnect(a, b, first)

    await settle(proxy, server, a, b)
    for day in (today(), yesterday()):
        completion = a.store.get(Entity.HABIT_COMPLETION, {"habitId": habit, "date": day})
        assert completion is not None
        assert completion["completed"] is True, day
        assert (completion["notes"], completion["evidence"]) == (
            "a's notes",
            "https://example.com/b.jpg",
        ), day
    assert a.store.issues() == []


@ORDERS
async def test_the_same_todo_on_both_merges_by_field_and_the_later_arrival_wins_a_field(
    server, proxy: FaultProxy, devices, first
):
    a, b = await pair(server, devices)
    todo = a.store.create_todo("plan the week")
    key = {"userId": todo["userId"], "todoId": todo["todoId"]}
    await both_synced(a, b)

    a.store.patch(Entity.TODO, key, {"text": "a's plan", "priority": "high"})
    b.store.patch(Entity.TODO, key, {"text": "b's plan"})
    b.store.toggle_todo(todo["todoId"])
    await reconnect(a, b, first)

    final = await settle(proxy, server, a, b)
    later = b if first == "a" else a
    assert last_answer(final, later).status == "MERGED"
    merged = a.store.get(Entity.TODO, key)
    assert merged is not None
    assert merged["text"] == f"{later.path.stem}'s plan"
    assert (merged["priority"], merged["done"]) == ("high", True)
    assert a.store.issues() == []


# -- a delete against an edit ---------------------------------------------------------------


@ORDERS
async def test_a_deleted_todo_stays_deleted_and_the_edit_is_reported(
    server, proxy: FaultProxy, devices, first
):
    a, b = await pair(server, devices)
    todo = a.store.create_todo("call the coach")
    key = {"userId": todo["userId"], "todoId": todo["todoId"]}
    await both_synced(a, b)

    a.store.delete(Entity.TODO, key)
    b.store.patch(Entity.TODO, key, {"text": "call the coach at 9"})
    await reconnect(a, b, first)

    final = await settle(proxy, server, a, b)
    if first == "a":  # the edit met the tombstone
        assert last_answer(final, b).status == "CONFLICT"
    else:  # the delete met the edit: applied, the edit it discarded reported
        assert last_answer(final, a).status == "MERGED"
    assert a.store.get(Entity.TODO, key) is None and a.store.query(Entity.TODO) == []
    issue = only_issue(a, b)
    assert issue.mine is not None and issue.mine["text"] == "call the coach at 9"


@ORDERS
async def test_an_un_completed_period_against_a_notes_edit_follows_the_completion_rule(
    server, proxy: FaultProxy, devices, first
):
    """The app's delete of a completion is an un-complete. Arriving first it wins and the
    notes edit is reported; arriving second it meets a completion edited meanwhile, and
    ``completed: true`` wins over a concurrent un-complete (docs/decisions.md)."""
    a, b = await pair(server, devices)
    goal = a.store.create_goal("Read")
    habit = a.store.create_habit(goal["goalId"], "One page", duration=1)["habitId"]
    a.store.complete_habit(habit, today())
    await both_synced(a, b)
    key = {"habitId": habit, "date": today()}

    a.store.uncomplete_habit(habit, today())
    b.store.patch(Entity.HABIT_COMPLETION, key, {"notes": "read on the bus"})
    await reconnect(a, b, first)

    final = await settle(proxy, server, a, b)
    completion = a.store.get(Entity.HABIT_COMPLETION, key)
    assert completion is not None
    if first == "a":
        assert last_answer(final, b).status == "CONFLICT"
        assert completion["completed"] is False
        assert only_issue(a, b).mine == {"notes": "read on the bus"}
    else:
        assert last_answer(final, a).status == "MERGED"
        assert (completion["completed"], completion["notes"]) == (True, "read on the bus")
        assert a.store.issues() == []


@ORDERS
async def test_an_edited_reflection_survives_a_delete_in_either_order(
    server, proxy: FaultProxy, devices, first
):
    a, b = await pair(server, devices)
    a.store.write_reflection(today(), "NEUTRAL", text="long day")
    await both_synced(a, b)
    key = {"userId": a.store.user_id(), "date": today()}

    a.store.delete(Entity.REFLECTION, key)
    b.store.write_reflection(today(), text="long day, good run")
    await reconnect(a, b, first)

    final = await settle(proxy, server, a, b)
    reflection = a.store.get(Entity.REFLECTION, key)
    assert reflection is not None
    assert (reflection["mood"], reflection["text"]) == ("NEUTRAL", "long day, good run")
    if first == "a":  # the edit met the tombstone and restored it
        assert last_answer(final, b).status == "MERGED"
        assert a.store.issues() == []
    else:  # the delete met the edit and did not apply
        assert last_answer(final, a).status == "CONFLICT"
        assert only_issue(a, b).code == "EDITED_ELSEWHERE"


@ORDERS
async def test_an_edited_goal_survives_an_archive_in_either_order(
    server, proxy: FaultProxy, devices, first
):
    """Goals are archived, never deleted: a device's DELETE of a goal is an archive."""
    a, b = await pair(server, devices)
    goal = a.store.create_goal("Learn Spanish")
    key = {"goalId": goal["goalId"]}
    await both_synced(a, b)

    a.store.delete(Entity.GOAL, key)
    b.store.patch(Entity.GOAL, key, {"title": "Learn Spanish by June"})
    await reconnect(a, b, first)

    final = await settle(proxy, server, a, b)
    kept = a.store.get(Entity.GOAL, key)
    assert kept is not None
    assert (kept["title"], kept["status"]) == ("Learn Spanish by June", "draft")
    if first == "a":  # the edit met the archive and restored the goal as a draft
        assert last_answer(final, b).status == "MERGED"
    else:
        assert last_answer(final, a).status == "CONFLICT"
        assert only_issue(a, b).code == "EDITED_ELSEWHERE"
