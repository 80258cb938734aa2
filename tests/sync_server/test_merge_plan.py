"""The merge decisions as a table: (entity, op, stored item, change) -> status, steps, issue.

Pure: no server, no storage, no clock. Each row is one rule of docs/sync-protocol.md
section 5 or docs/decisions.md "Sync (server)"; the rows that involve storage or the clock
(a completion 8 days back, a second weekly reflection) are the services' and are tested
through the real server in test_merge_rules.py.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from backend.errors import NotFound
from backend.services.context import Viewer
from backend.sync.changes import DeviceChange
from backend.sync.merge_plan import Call, Plan, Writer, plan_change
from domain.errors import DomainError, InvalidTransition, NotAllowed, RuleViolation

ME, OTHER, MENTOR = "user-me", "user-other", "user-mentor"
PHONE, LAPTOP = "client-phone", "client-laptop"
GOAL, HABIT, TODO, DAY = "goal-1", "habit-1", "todo-1", "2026-11-24"

KEYS: dict[str, dict[str, str]] = {
    "GOAL": {"goalId": GOAL},
    "HABIT": {"habitId": HABIT},
    "HABIT_COMPLETION": {"habitId": HABIT, "date": DAY},
    "REFLECTION": {"userId": ME, "date": DAY},
    "TODO": {"userId": ME, "todoId": TODO},
    "NOTIFICATION": {"notificationId": "n-1"},
    "SESSION": {"sessionId": "s-1"},
}


def stored(version: int = 3, by: str | None = LAPTOP, **attrs: Any) -> dict[str, Any]:
    """A stored item at ``version``, last written by device ``by`` (None: the API)."""
    item: dict[str, Any] = {"userId": ME, "_version": version, **attrs}
    if by is not None:
        item["_clientId"] = by
    return item


def gone(version: int = 3, by: str | None = LAPTOP, **attrs: Any) -> dict[str, Any]:
    return stored(version, by, _deleted=True, **attrs)


def goal(status: str = "active", **attrs: Any) -> dict[str, Any]:
    return stored(goalId=GOAL, title="Be fit", status=status, **attrs)


def done(completed: bool = True, **attrs: Any) -> dict[str, Any]:
    return stored(habitId=HABIT, date=DAY, completed=completed, completedOn=DAY, **attrs)


def todo(**attrs: Any) -> dict[str, Any]:
    return stored(todoId=TODO, text="milk", done=False, **attrs)


def reflection(text_stamp: tuple[int, str | None] | None = None, **attrs: Any) -> dict[str, Any]:
    """A reflection whose ``text`` last changed at version/device ``text_stamp``."""
    stamps = {} if text_stamp is None else {"text": {"v": text_stamp[0], "c": text_stamp[1]}}
    fields = {"reflectionId": "r-1", "date": DAY, "mood": "GOOD", "text": "theirs", **attrs}
    return stored(_fieldVersions=stamps, **fields)


class Row(NamedTuple):
    rule: str
    entity: str
    op: str
    fields: dict[str, Any] | None
    base: int | None
    current: dict[str, Any] | None
    status: str
    calls: tuple[Call, ...]
    issue: str | None = None  # the code of the sync issue filed with the last step


CONCURRENT, CAUGHT_UP = 2, 3  # base versions against a stored version 3

ROWS = [
    # -- completions: completed wins, notes/evidence merge, delete vs edit ---------------
    Row("a new completion completes", "HABIT_COMPLETION", "PUT",
        {"completed": True, "completedOn": DAY}, None, None, "APPLIED", (Call.COMPLETE_HABIT,)),
    Row("an un-complete applies when nobody else wrote", "HABIT_COMPLETION", "PATCH",
        {"completed": False}, CAUGHT_UP, done(), "APPLIED", (Call.UNCOMPLETE_HABIT,)),
    Row("completed: true wins over a concurrent un-complete", "HABIT_COMPLETION", "PATCH",
        {"completed": False}, CONCURRENT, done(), "MERGED", ()),
    Row("a concurrent un-complete still adds its notes", "HABIT_COMPLETION", "PATCH",
        {"completed": False, "notes": "n"}, CONCURRENT, done(), "MERGED", (Call.COMPLETE_HABIT,)),
    Row("an un-complete with notes writes the notes first", "HABIT_COMPLETION", "PATCH",
        {"completed": False, "notes": "n"}, CAUGHT_UP, done(), "APPLIED",
        (Call.COMPLETE_HABIT, Call.UNCOMPLETE_HABIT)),
    Row("a DELETE un-completes", "HABIT_COMPLETION", "DELETE",
        None, CAUGHT_UP, done(), "APPLIED", (Call.UNCOMPLETE_HABIT,)),
    Row("un-completing what is not done changes nothing", "HABIT_COMPLETION", "PATCH",
        {"completed": False}, CONCURRENT, done(False), "APPLIED", ()),
    Row("a completion meeting a concurrent completion merges", "HABIT_COMPLETION", "PATCH",
        {"completed": True, "notes": "n"}, CONCURRENT, done(), "MERGED", (Call.COMPLETE_HABIT,)),
    Row("a completion of an un-completed period completes it again", "HABIT_COMPLETION",
        "PATCH", {"completed": True}, CONCURRENT, done(False), "MERGED", (Call.COMPLETE_HABIT,)),
    Row("a notes edit of a period un-completed meanwhile is reported", "HABIT_COMPLETION",
        "PATCH", {"notes": "n"}, CONCURRENT, done(False), "CONFLICT", (), "DELETED_ELSEWHERE"),
    Row("my own earlier edits are never concurrent", "HABIT_COMPLETION", "PATCH",
        {"completed": False}, CONCURRENT, done(by=PHONE), "APPLIED", (Call.UNCOMPLETE_HABIT,)),
    # -- reflections: field merge, text clash -> CONFLICT, delete vs edit -----------------
    Row("a new daily reflection", "REFLECTION", "PUT",
        {"mood": "GOOD", "text": "t"}, None, None, "APPLIED", (Call.CREATE_DAILY_REFLECTION,)),
    Row("a weekly reflection with text is created, then its text written", "REFLECTION", "PUT",
        {"content": "week", "text": "t"}, None, None, "APPLIED",
        (Call.CREATE_WEEKLY_REFLECTION, Call.UPDATE_REFLECTION)),
    Row("a weekly reflection without text is one step", "REFLECTION", "PUT",
        {"content": "week"}, None, None, "APPLIED", (Call.CREATE_WEEKLY_REFLECTION,)),
    Row("the same text changed on both sides keeps the server's", "REFLECTION", "PATCH",
        {"text": "mine"}, CONCURRENT, reflection((3, LAPTOP)), "CONFLICT", (), "CONFLICT"),
    Row("a text clash still applies the untouched fields", "REFLECTION", "PATCH",
        {"text": "mine", "mood": "BAD"}, CONCURRENT, reflection((3, LAPTOP)), "CONFLICT",
        (Call.UPDATE_REFLECTION,), "CONFLICT"),
    Row("a text the other side did not touch merges", "REFLECTION", "PATCH",
        {"text": "mine"}, CONCURRENT, reflection((1, LAPTOP)), "MERGED",
        (Call.UPDATE_REFLECTION,)),
    Row("a text last changed by me never clashes", "REFLECTION", "PATCH",
        {"text": "mine"}, CONCURRENT, reflection((3, PHONE)), "MERGED",
        (Call.UPDATE_REFLECTION,)),
    Row("a text where the server holds none is no clash (found by the property test)",
        "REFLECTION", "PUT", {"text": "mine"}, None, reflection((1, LAPTOP), text=None),
        "MERGED", (Call.UPDATE_REFLECTION,)),
    Row("an unconcurrent text edit applies", "REFLECTION", "PATCH",
        {"text": "mine"}, CAUGHT_UP, reflection((3, LAPTOP)), "APPLIED",
        (Call.UPDATE_REFLECTION,)),
    Row("a delete meeting a concurrent edit is not applied", "REFLECTION", "DELETE",
        None, CONCURRENT, reflection(), "CONFLICT", (), "EDITED_ELSEWHERE"),
    Row("a delete applies when nobody else wrote", "REFLECTION", "DELETE",
        None, CAUGHT_UP, reflection(), "APPLIED", (Call.DELETE_REFLECTION,)),
    Row("an edit meeting a delete re-creates the reflection", "REFLECTION", "PATCH",
        {"mood": "BAD"}, CONCURRENT, gone(date=DAY, mood="GOOD"), "MERGED",
        (Call.CREATE_DAILY_REFLECTION,)),
    # -- goals: per field, status through the goal rules, archive vs edit -----------------
    Row("a new goal is one step", "GOAL", "PUT",
        {"title": "t"}, None, None, "APPLIED", (Call.CREATE_GOAL,)),
    Row("a goal created and submitted is two steps", "GOAL", "PUT",
        {"title": "t", "status": "pending_approval"}, None, None, "APPLIED",
        (Call.CREATE_GOAL, Call.SUBMIT_GOAL)),
    Row("a goal created active is submitted (the services decide)", "GOAL", "PUT",
        {"title": "t", "status": "active"}, None, None, "APPLIED",
        (Call.CREATE_GOAL, Call.SUBMIT_GOAL)),
    Row("goal fields merge per field", "GOAL", "PATCH",
        {"title": "new"}, CONCURRENT, goal(), "MERGED", (Call.UPDATE_GOAL,)),
    Row("an unchanged field writes nothing", "GOAL", "PATCH",
        {"title": "Be fit"}, CAUGHT_UP, goal(), "APPLIED", ()),
    Row("the owner asking active of a pending goal waits for approval", "GOAL", "PATCH",
        {"status": "active"}, CAUGHT_UP, goal("pending_approval", mentorId=MENTOR),
        "APPLIED", ()),
    Row("completing a goal", "GOAL", "PATCH",
        {"status": "completed"}, CAUGHT_UP, goal(), "APPLIED", (Call.COMPLETE_GOAL,)),
    Row("a goal DELETE archives it", "GOAL", "DELETE",
        None, CAUGHT_UP, goal(), "APPLIED", (Call.ARCHIVE_GOAL,)),
    Row("an archive meeting a concurrent edit is not applied", "GOAL", "DELETE",
        None, CONCURRENT, goal(), "CONFLICT", (), "EDITED_ELSEWHERE"),
    Row("an edit meeting an archive restores the goal as a draft", "GOAL", "PATCH",
        {"title": "new"}, CONCURRENT, goal("archived"), "MERGED",
        (Call.RESTORE_GOAL, Call.UPDATE_GOAL)),
    Row("restored, edited and submitted: three steps", "GOAL", "PATCH",
        {"title": "new", "status": "pending_approval"}, CONCURRENT, goal("archived"), "MERGED",
        (Call.RESTORE_GOAL, Call.UPDATE_GOAL, Call.SUBMIT_GOAL)),
    # -- habits ---------------------------------------------------------------------------
    Row("a habit created paused is two steps", "HABIT", "PUT",
        {"goalId": GOAL, "title": "t", "status": "paused"}, None, None, "APPLIED",
        (Call.CREATE_HABIT, Call.SET_HABIT_STATUS)),
    Row("habit fields and status", "HABIT", "PATCH",
        {"title": "new", "status": "paused"}, CONCURRENT,
        stored(habitId=HABIT, title="t", status="active"), "MERGED",
        (Call.UPDATE_HABIT, Call.SET_HABIT_STATUS)),
    # -- todos: per field, the delete wins, an edit of a deleted todo is reported ----------
    Row("a new todo", "TODO", "PUT", {"text": "t"}, None, None, "APPLIED", (Call.CREATE_TODO,)),
    Row("a todo created done is created, then marked done", "TODO", "PUT",
        {"text": "t", "done": True}, None, None, "APPLIED", (Call.CREATE_TODO, Call.UPDATE_TODO)),
    Row("todo fields merge; the later arrival wins", "TODO", "PATCH",
        {"text": "new"}, CONCURRENT, todo(), "MERGED", (Call.UPDATE_TODO,)),
    Row("a delete wins over a concurrent edit, which is reported", "TODO", "DELETE",
        None, CONCURRENT, todo(), "MERGED", (Call.DELETE_TODO,), "EDIT_DISCARDED"),
    Row("a delete applies when nobody else wrote", "TODO", "DELETE",
        None, CAUGHT_UP, todo(), "APPLIED", (Call.DELETE_TODO,)),
    Row("deleting a deleted todo changes nothing", "TODO", "DELETE",
        None, CONCURRENT, gone(todoId=TODO), "APPLIED", ()),
    Row("an edit of a deleted todo is reported", "TODO", "PATCH",
        {"text": "new"}, CAUGHT_UP, gone(todoId=TODO), "CONFLICT", (), "DELETED_ELSEWHERE"),
    # -- notifications and sessions ----------------------------------------------------------
    Row("marking read", "NOTIFICATION", "PATCH",
        {"read": True}, CAUGHT_UP, stored(read=False), "APPLIED", (Call.MARK_READ,)),
    Row("read: true wins", "NOTIFICATION", "PATCH",
        {"read": False}, CONCURRENT, stored(read=True), "MERGED", ()),
    Row("a session request", "SESSION", "PUT",
        {"mentorId": MENTOR}, None, None, "APPLIED", (Call.CREATE_SESSION,)),
]  # fmt: skip


def change(
    entity: str, op: str, fields: dict[str, Any] | None, base: int | None, **key: str
) -> DeviceChange:
    wire = {
        "mutationId": 7,
        "entity": entity,
        "key": {**KEYS[entity], **key},
        "op": op,
        "baseVersion": base,
        "fields": fields,
    }
    return DeviceChange.parse(wire)


def plan(row_change: DeviceChange, current: dict[str, Any] | None, **writer: Any) -> Plan:
    who = Writer(Viewer(writer.pop("user", ME)), writer.pop("client", PHONE), **writer)
    return plan_change(row_change, current, who)


@pytest.mark.parametrize("row", ROWS, ids=[row.rule for row in ROWS])
def test_each_rule_decides_status_steps_and_issue(row: Row) -> None:
    decided = plan(change(row.entity, row.op, row.fields, row.base), row.current)
    assert decided.status == row.status
    assert tuple(step.call for step in decided.steps) == row.calls
    assert (decided.issue or {}).get("code") == row.issue


def test_an_issue_keeps_the_devices_text_and_the_servers() -> None:
    decided = plan(
        change("REFLECTION", "PATCH", {"text": "mine", "mood": "BAD"}, CONCURRENT),
        reflection((3, LAPTOP)),
    )
    assert decided.issue is not None
    assert decided.issue["mine"] == {"text": "mine"}
    assert decided.issue["theirs"] == {"text": "theirs"}
    assert decided.issue["field"] == "text" and decided.issue["mutationId"] == 7
    assert decided.steps[0].data == {"mood": "BAD"}  # the clashing text is not written


def test_a_completion_step_carries_the_day_and_the_notes() -> None:
    decided = plan(change("HABIT_COMPLETION", "PUT", {"completed": True, "notes": "n"}, None), None)
    assert decided.steps[0].target == HABIT
    assert decided.steps[0].data == {"day": DAY, "notes": "n", "evidence": None}


def test_force_applies_as_if_nothing_happened_meanwhile() -> None:
    edit = change("TODO", "PATCH", {"text": "new"}, CONCURRENT)
    decided = plan(edit, gone(todoId=TODO, text="old", done=True), force=True)
    assert decided.status == "APPLIED"
    assert [s.call for s in decided.steps] == [Call.CREATE_TODO, Call.UPDATE_TODO]
    assert decided.steps[0].data == {"text": "new", "todoId": TODO}
    clash = change("REFLECTION", "PATCH", {"text": "mine"}, CONCURRENT)
    assert plan(clash, reflection((3, LAPTOP)), force=True).status == "APPLIED"


def test_an_api_write_is_concurrent_with_every_device() -> None:
    decided = plan(
        change("HABIT_COMPLETION", "PATCH", {"completed": False}, CONCURRENT), done(by=None)
    )
    assert decided.status == "MERGED" and decided.steps == ()


def test_the_mentor_writes_feedback_and_nothing_else() -> None:
    shared = reflection(userId=OTHER)
    feedback = change("REFLECTION", "PATCH", {"mentorFeedback": "well done"}, 3, userId=OTHER)
    decided = plan(feedback, shared)
    assert [(s.call, s.target, dict(s.data)) for s in decided.steps] == [
        (Call.ADD_FEEDBACK, "r-1", {"feedback": "well done"})
    ]
    with pytest.raises(NotAllowed):
        plan(change("REFLECTION", "PATCH", {"text": "x"}, 3, userId=OTHER), shared)


REFUSALS: list[tuple[str, DeviceChange, dict[str, Any] | None, type[DomainError]]] = [
    ("habits are never deleted", change("HABIT", "DELETE", None, 3), None, RuleViolation),
    ("notifications are not deleted", change("NOTIFICATION", "DELETE", None, 3), None,
     RuleViolation),
    ("a device only requests sessions", change("SESSION", "PATCH", {}, 3), None, RuleViolation),
    ("users are read-only", DeviceChange.parse(
        {"mutationId": 1, "entity": "USER", "key": {"userId": ME}, "op": "PATCH",
         "fields": {}}), None, RuleViolation),
    ("a PATCH of no todo", change("TODO", "PATCH", {"text": "x"}, 1), None, NotFound),
    ("a PATCH of no goal", change("GOAL", "PATCH", {"title": "x"}, 1), None, NotFound),
    ("another user's todo", change("TODO", "PUT", {"text": "x"}, None, userId=OTHER), None,
     NotAllowed),
    ("another user's goal", change("GOAL", "PATCH", {"title": "x"}, 3), goal(userId=OTHER),
     NotAllowed),
    ("another user's completion", change("HABIT_COMPLETION", "PATCH", {"completed": True}, 3),
     done(userId=OTHER), NotAllowed),
    ("back to draft", change("GOAL", "PATCH", {"status": "draft"}, 3), goal(), InvalidTransition),
    ("not a goal status", change("GOAL", "PATCH", {"status": "done"}, 3), goal(), RuleViolation),
    ("notes on a period never completed", change("HABIT_COMPLETION", "PATCH", {"notes": "n"}, 1),
     None, NotFound),
    ("notes on an un-completed period", change("HABIT_COMPLETION", "PATCH", {"notes": "n"},
     CAUGHT_UP), done(False), RuleViolation),
]  # fmt: skip


@pytest.mark.parametrize(
    ("the_change", "current", "error"),
    [r[1:] for r in REFUSALS],
    ids=[r[0] for r in REFUSALS],
)
def test_a_refused_change_raises_its_typed_error(
    the_change: DeviceChange, current: dict[str, Any] | None, error: type[DomainError]
) -> None:
    with pytest.raises(error):
        plan(the_change, current)
