"""The merge decisions of ``pushChanges``: what a device change becomes, as a pure function.

``plan_change(change, current, writer)`` looks only at the change, the item the server holds
(tombstones included) and who writes; it reads no storage and no clock. It answers the status
the change gets and the service calls (``Step``) that carry it out, in order, plus the sync
issue to file with the last of them. ``merge_run.py`` runs the steps. Business rules that need
storage or the clock (a completion more than 7 days back, a second weekly reflection, a taken
session slot) stay in the services and refuse a step there: REJECTED.

The rules are docs/sync-protocol.md section 5 and docs/decisions.md "Sync (server)":

| Entity          | On a concurrent change                                                  |
|-----------------|-------------------------------------------------------------------------|
| HabitCompletion | ``completed: true`` wins over an un-complete; notes / evidence by field  |
| Reflection      | fields the other side did not touch apply; the same text field changed  |
|                 | on both sides keeps the server's text and files the device's in an issue |
| Goal/Habit/Todo | per field (a PATCH carries the changed fields); the later arrival wins  |
| Notification    | only ``read``; ``true`` wins                                            |
| Delete vs edit  | todos, completions: the delete wins and the edit is reported; goals and |
|                 | reflections: the edit wins and restores the item (a goal DELETE is an   |
|                 | archive; an edit restores an archived goal as a draft)                  |

"Concurrent" means the device's ``baseVersion`` is older than the server's ``_version`` and
the newest version was written by another device or the API (a device's own queued changes
build on each other and are never in conflict with themselves).

``force`` (resolving an issue with KEEP_MINE) applies the change as if nothing had happened
meanwhile: no merge, and a PATCH of a deleted todo or reflection brings it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.errors import InvalidTransition, NotAllowed, RuleViolation
from domain.goals import GoalStatus
from protocol.entities import Entity, Op
from protocol.errors import ErrorCode, IssueCode
from protocol.fields import (
    COMPLETION_NOTE_FIELDS,
    GOAL_FIELDS,
    HABIT_FIELDS,
    MENTOR_FEEDBACK_FIELD,
    REFLECTION_FIELDS,
    REFLECTION_TEXT_FIELDS,
    SESSION_REQUEST_FIELDS,
    TODO_FIELDS,
)
from protocol.statuses import ChangeStatus

from ..changefeed.wire import wire_item
from ..errors import NotFound
from ..services import access
from ..services.context import Viewer
from ..services.loaders import is_live
from ..services.writes import CLIENT_ATTR, FIELD_VERSIONS_ATTR
from ..storage.items import Item
from ..storage.tables import Table
from .changes import DeviceChange


class Call(StrEnum):
    """A service call a step makes (``merge_run.py`` maps each to its service function)."""

    CREATE_GOAL = "create_goal"
    UPDATE_GOAL = "update_goal"
    RESTORE_GOAL = "restore_goal"
    ARCHIVE_GOAL = "archive_goal"
    SUBMIT_GOAL = "submit_goal"
    APPROVE_GOAL = "approve_goal"
    COMPLETE_GOAL = "complete_goal"
    CREATE_HABIT = "create_habit"
    UPDATE_HABIT = "update_habit"
    SET_HABIT_STATUS = "set_habit_status"
    COMPLETE_HABIT = "complete_habit"
    UNCOMPLETE_HABIT = "uncomplete_habit"
    CREATE_DAILY_REFLECTION = "create_daily_reflection"
    CREATE_WEEKLY_REFLECTION = "create_weekly_reflection"
    UPDATE_REFLECTION = "update_reflection"
    DELETE_REFLECTION = "delete_reflection"
    ADD_FEEDBACK = "add_feedback"
    CREATE_TODO = "create_todo"
    UPDATE_TODO = "update_todo"
    DELETE_TODO = "delete_todo"
    MARK_READ = "mark_read"
    CREATE_SESSION = "create_session"


@dataclass(frozen=True)
class Step:
    """One service call: ``target`` is the id (or date) it takes, ``data`` its arguments."""

    call: Call
    target: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Writer:
    """Who sends the change: the user, their device, and whether merging is skipped."""

    viewer: Viewer
    client_id: str | None
    force: bool = False

    @property
    def user_id(self) -> str:
        return self.viewer.user_id


@dataclass(frozen=True)
class Plan:
    """The decision: the status, the steps in order and the issue filed with the last one."""

    status: ChangeStatus
    steps: tuple[Step, ...] = ()
    issue: Mapping[str, Any] | None = None


def plan_change(change: DeviceChange, current: Item | None, writer: Writer) -> Plan:
    """What ``change`` becomes against ``current``; a refused change raises its DomainError."""
    planner = _PLANNERS.get(change.entity)
    if planner is None:
        raise RuleViolation(f"{change.entity} is read-only on devices", field="entity")
    if change.op not in tuple(Op):
        raise RuleViolation("op is PUT, PATCH or DELETE", field="op")
    return planner(_Facts(change, current, writer))


@dataclass(frozen=True)
class _Facts:
    change: DeviceChange
    current: Item | None
    writer: Writer

    @property
    def concurrent(self) -> bool:
        """Whether someone else changed the item after the device's base version."""
        current, writer = self.current, self.writer
        if writer.force or current is None:
            return False
        if writer.client_id is not None and current.get(CLIENT_ATTR) == writer.client_id:
            return False
        base = self.change.base_version
        return base is None or base < int(current.get("_version", 0))

    @property
    def edit_status(self) -> ChangeStatus:
        """An edit that applies: MERGED when someone else changed the item meanwhile."""
        return ChangeStatus.MERGED if self.concurrent else ChangeStatus.APPLIED

    def issue(
        self,
        *,
        code: IssueCode | ErrorCode,
        message: str,
        field: str | None = None,
        op: Op | None = None,
        mine: Any = None,
        theirs: Any = None,
        with_current: bool = True,
    ) -> dict[str, Any]:
        """The SyncIssue holding the device's change that did not apply (or was undone)."""
        change, current = self.change, self.current
        if with_current and theirs is None and current is not None:
            theirs = wire_item(change.table, current, self.writer.user_id)
        if mine is None:
            mine = change.fields if isinstance(change.fields, dict) else None
        return {
            "userId": self.writer.user_id,
            "entity": change.entity,
            "key": change.key(),
            "code": code,
            "message": message,
            "field": field,
            "op": op or change.op,
            "mine": mine,
            "theirs": theirs,
            "clientId": self.writer.client_id,
            "mutationId": change.mutation_id,
        }


def _changed(current: Item, data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if current.get(name) != value}


def _pick(fields: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: fields[name] for name in names if name in fields}


# -- goals ----------------------------------------------------------------------------------


def _goal(facts: _Facts) -> Plan:
    change, current = facts.change, facts.current
    goal_id = change.key()["goalId"]
    if current is not None:
        access.require_goal_reader(facts.writer.viewer, current)
    if change.op is Op.DELETE:
        if not is_live(current) or current["status"] == GoalStatus.ARCHIVED:
            return Plan(ChangeStatus.APPLIED)
        return _delete_unless_edited(facts, "goal", "archived", Step(Call.ARCHIVE_GOAL, goal_id))

    fields = change.field_map()
    data = _pick(fields, GOAL_FIELDS)
    target = fields.get("status")
    if not is_live(current):
        if change.op is Op.PATCH:
            raise NotFound("no such goal")
        create = Step(Call.CREATE_GOAL, goal_id, {**data, "goalId": goal_id})
        return Plan(
            ChangeStatus.APPLIED, (create, *_goal_status(facts, GoalStatus.DRAFT, None, target))
        )

    steps: list[Step] = []
    status = facts.edit_status
    now = GoalStatus(current["status"])
    if now is GoalStatus.ARCHIVED and (facts.concurrent or facts.writer.force):
        steps.append(Step(Call.RESTORE_GOAL, goal_id))
        now, status = GoalStatus.DRAFT, ChangeStatus.MERGED
    edits = _changed(current, data)
    if edits:
        steps.append(Step(Call.UPDATE_GOAL, goal_id, edits))
    steps += _goal_status(facts, now, edits.get("mentorId", current.get("mentorId")), target)
    return Plan(status, tuple(steps))


def _delete_unless_edited(facts: _Facts, noun: str, done: str, delete: Step) -> Plan:
    """Goals and reflections: a delete meeting a concurrent edit is not applied (the edit
    wins and the item stays); it is reported instead."""
    if not facts.concurrent:
        return Plan(ChangeStatus.APPLIED, (delete,))
    message = f"the {noun} was changed on another device, so it was not {done}"
    issue = facts.issue(code=IssueCode.EDITED_ELSEWHERE, message=message)
    return Plan(ChangeStatus.CONFLICT, issue=issue)


def _goal_status(facts: _Facts, now: GoalStatus, mentor_id: Any, target: Any) -> list[Step]:
    """The goal-service call that moves a goal toward ``target`` (the services decide)."""
    if target is None or target == now:
        return []
    if not isinstance(target, str) or target not in set(GoalStatus):
        raise RuleViolation("not a goal status", field="status")
    wanted = GoalStatus(target)
    goal_id = facts.change.key()["goalId"]
    if wanted is GoalStatus.ARCHIVED:
        return [Step(Call.ARCHIVE_GOAL, goal_id)]
    if wanted is GoalStatus.COMPLETED:
        return [Step(Call.COMPLETE_GOAL, goal_id)]
    if now is GoalStatus.DRAFT and wanted in (GoalStatus.PENDING_APPROVAL, GoalStatus.ACTIVE):
        return [Step(Call.SUBMIT_GOAL, goal_id)]
    if now is GoalStatus.PENDING_APPROVAL and wanted is GoalStatus.ACTIVE:
        if facts.writer.user_id == mentor_id:
            return [Step(Call.APPROVE_GOAL, goal_id)]
        return []  # only the mentor's approval activates it: the server's status stays
    raise InvalidTransition("goal", now, wanted)


# -- habits ---------------------------------------------------------------------------------


def _habit(facts: _Facts) -> Plan:
    change, current = facts.change, facts.current
    habit_id = change.key()["habitId"]
    if change.op is Op.DELETE:
        raise RuleViolation("habits are never deleted: pause or complete them", field="op")
    fields = change.field_map()
    data = _pick(fields, HABIT_FIELDS)
    target = fields.get("status")
    if current is not None:
        access.require_habit_owner(facts.writer.viewer, current)
    if not is_live(current):
        if change.op is Op.PATCH:
            raise NotFound("no such habit")
        steps = [
            Step(
                Call.CREATE_HABIT,
                habit_id,
                {**data, "habitId": habit_id, "goalId": fields.get("goalId")},
            )
        ]
        if target not in (None, "active"):
            steps.append(Step(Call.SET_HABIT_STATUS, habit_id, {"status": str(target)}))
        return Plan(ChangeStatus.APPLIED, tuple(steps))
    steps = []
    edits = _changed(current, data)
    if edits:
        steps.append(Step(Call.UPDATE_HABIT, habit_id, edits))
    if target is not None and target != current["status"]:
        steps.append(Step(Call.SET_HABIT_STATUS, habit_id, {"status": str(target)}))
    return Plan(facts.edit_status, tuple(steps))


# -- completions ----------------------------------------------------------------------------


def _completion(facts: _Facts) -> Plan:
    change, current = facts.change, facts.current
    key = change.key()
    if current is not None and current.get("userId") != facts.writer.user_id:
        raise NotAllowed("only the habit's owner may change it")
    fields = change.field_map()
    day = str(fields.get("completedOn") or (current or {}).get("completedOn") or key["date"])
    extras = {name: fields[name] for name in COMPLETION_NOTE_FIELDS if fields.get(name) is not None}
    done_now = bool(is_live(current) and current.get("completed"))
    complete = Step(
        Call.COMPLETE_HABIT,
        key["habitId"],
        {"day": day, "notes": extras.get("notes"), "evidence": extras.get("evidence")},
    )

    if change.op is Op.DELETE or fields.get("completed") is False:
        if not done_now:
            return Plan(ChangeStatus.APPLIED)
        if facts.concurrent:  # completed: true wins over a concurrent un-complete
            return Plan(ChangeStatus.MERGED, (complete,) if extras else ())
        uncomplete = Step(Call.UNCOMPLETE_HABIT, key["habitId"], {"day": day})
        # notes / evidence written before the un-complete (one merged PATCH) apply first
        return Plan(ChangeStatus.APPLIED, (complete, uncomplete) if extras else (uncomplete,))

    completes = fields.get("completed") is True or (change.op is Op.PUT and not done_now)
    if not completes and not done_now:
        if is_live(current) and facts.concurrent:  # un-completed meanwhile: edit reported
            return Plan(
                ChangeStatus.CONFLICT,
                issue=facts.issue(
                    code=IssueCode.DELETED_ELSEWHERE,
                    message="the completion was undone on another device; this edit did not apply",
                ),
            )
        if not is_live(current):
            raise NotFound("the habit has no completion on that date")
        raise RuleViolation("complete the habit to add notes or evidence", field="completed")
    return Plan(facts.edit_status, (complete,))


# -- reflections ----------------------------------------------------------------------------


def _reflection(facts: _Facts) -> Plan:
    change, current = facts.change, facts.current
    key = change.key()
    date = key["date"]
    if key["userId"] != facts.writer.user_id:
        return _mentor_feedback(facts)

    if change.op is Op.DELETE:
        if not is_live(current):
            return Plan(ChangeStatus.APPLIED)
        delete = Step(Call.DELETE_REFLECTION, date)
        return _delete_unless_edited(facts, "reflection", "deleted", delete)

    data = _pick(change.field_map(), REFLECTION_FIELDS)
    if not is_live(current):
        if current is not None and (facts.concurrent or facts.writer.force):
            restored = {k: current[k] for k in REFLECTION_FIELDS if current.get(k) is not None}
            return Plan(ChangeStatus.MERGED, _create_reflection(date, {**restored, **data}))
        if change.op is Op.PATCH:
            raise NotFound("you have no reflection on this date")
        return Plan(ChangeStatus.APPLIED, _create_reflection(date, data))

    clashes = text_clashes(facts.change, current, data, facts.writer) if facts.concurrent else []
    edits = _changed(current, {k: v for k, v in data.items() if k not in clashes})
    steps = (Step(Call.UPDATE_REFLECTION, date, edits),) if edits else ()
    if clashes:
        issue = facts.issue(
            code=ErrorCode.CONFLICT,
            message="this text was also changed on another device; the server kept that one",
            field=clashes[0],
            op=Op.PATCH,
            mine={name: data[name] for name in clashes},
            theirs={name: current.get(name) for name in clashes},
        )
        return Plan(ChangeStatus.CONFLICT, steps, issue)
    return Plan(facts.edit_status, steps)


def text_clashes(
    change: DeviceChange, current: Item, data: Mapping[str, Any], writer: Writer
) -> list[str]:
    """Text fields both sides changed: another writer touched them after the device's base.

    A field the server holds no text in is no clash: a reflection created without text is
    stamped for it, but there is nothing of the other side's to keep.
    """
    base = change.base_version or 0
    stamps = current.get(FIELD_VERSIONS_ATTR) or {}
    clashes = []
    for name in REFLECTION_TEXT_FIELDS:
        if name not in data or current.get(name) is None or data[name] == current.get(name):
            continue
        stamp = stamps.get(name) or {}
        if int(stamp.get("v", 0)) > base and stamp.get("c") != writer.client_id:
            clashes.append(name)
    return clashes


def _create_reflection(date: str, data: Mapping[str, Any]) -> tuple[Step, ...]:
    """A daily reflection, or a weekly one when it has content (its text follows as an edit)."""
    if data.get("content") is None:
        return (Step(Call.CREATE_DAILY_REFLECTION, date, {**data, "date": date}),)
    text = data.get("text")
    weekly = Step(Call.CREATE_WEEKLY_REFLECTION, date, {**data, "date": date})
    if text is None:
        return (weekly,)
    return (weekly, Step(Call.UPDATE_REFLECTION, date, {"text": text}))


def _mentor_feedback(facts: _Facts) -> Plan:
    """The mentor a reflection is shared with writes ``mentorFeedback``, nothing else."""
    change, current = facts.change, facts.current
    fields = change.field_map() if change.op is not Op.DELETE else {}
    if change.op is Op.DELETE or set(fields) != {MENTOR_FEEDBACK_FIELD}:
        raise NotAllowed("only the owner writes a reflection; its mentor adds feedback")
    if not is_live(current):
        # as for a reflection not shared: which days have one stays private
        raise NotAllowed("this reflection is not shared with you")
    feedback = fields[MENTOR_FEEDBACK_FIELD]
    text = feedback.get("feedback") if isinstance(feedback, dict) else feedback
    if not isinstance(text, str):
        raise RuleViolation("the feedback is text", field=MENTOR_FEEDBACK_FIELD)
    step = Step(Call.ADD_FEEDBACK, str(current["reflectionId"]), {"feedback": text})
    return Plan(ChangeStatus.APPLIED, (step,))


# -- todos ----------------------------------------------------------------------------------


def _todo(facts: _Facts) -> Plan:
    change, current = facts.change, facts.current
    key = change.key()
    todo_id = key["todoId"]
    if key["userId"] != facts.writer.user_id:
        raise NotAllowed("todos belong to their user")

    if change.op is Op.DELETE:
        if not is_live(current):
            return Plan(ChangeStatus.APPLIED)
        delete = (Step(Call.DELETE_TODO, todo_id),)
        if not facts.concurrent:
            return Plan(ChangeStatus.APPLIED, delete)
        # the delete wins; the edit made meanwhile is reported
        edited = wire_item(Table.TODOS, current, facts.writer.user_id)
        issue = facts.issue(
            code=IssueCode.EDIT_DISCARDED,
            message="the todo was deleted; a change made to it on another device was lost",
            op=Op.PUT,
            mine={name: edited[name] for name in TODO_FIELDS if name in edited},
            with_current=False,
        )
        return Plan(ChangeStatus.MERGED, delete, issue)

    data = _pick(change.field_map(), TODO_FIELDS)
    if not is_live(current):
        if current is not None and facts.writer.force:
            restored = {k: current[k] for k in TODO_FIELDS if current.get(k) is not None}
            data = {**restored, **data}
        elif current is not None and (facts.concurrent or change.op is Op.PATCH):
            return Plan(
                ChangeStatus.CONFLICT,
                issue=facts.issue(
                    code=IssueCode.DELETED_ELSEWHERE,
                    message="the todo was deleted on another device; this change did not apply",
                ),
            )
        elif change.op is Op.PATCH:
            raise NotFound("no such todo")
        return Plan(ChangeStatus.APPLIED, _create_todo(todo_id, data))

    edits = _changed(current, data)
    steps = (Step(Call.UPDATE_TODO, todo_id, edits),) if edits else ()
    return Plan(facts.edit_status, steps)


def _create_todo(todo_id: str, data: Mapping[str, Any]) -> tuple[Step, ...]:
    """Todos are created not done; a done one is marked so in a second step."""
    create = Step(
        Call.CREATE_TODO,
        todo_id,
        {**{k: v for k, v in data.items() if k != "done"}, "todoId": todo_id},
    )
    if not data.get("done"):
        return (create,)
    return (create, Step(Call.UPDATE_TODO, todo_id, {"done": True}))


# -- notifications and session requests -----------------------------------------------------


def _notification(facts: _Facts) -> Plan:
    change, current = facts.change, facts.current
    if change.op is Op.DELETE:
        raise RuleViolation("notifications are not deleted; mark them read", field="op")
    if not is_live(current) or current["userId"] != facts.writer.user_id:
        raise NotFound("no such notification")
    read = change.field_map().get("read")
    if read is True and not current.get("read"):
        mark = Step(Call.MARK_READ, change.key()["notificationId"])
        return Plan(ChangeStatus.APPLIED, (mark,))
    if read is False and current.get("read"):
        return Plan(ChangeStatus.MERGED)  # read: true wins
    return Plan(ChangeStatus.APPLIED)


def _session(facts: _Facts) -> Plan:
    change = facts.change
    if change.op is not Op.PUT:
        raise RuleViolation(
            "a device only requests sessions; other changes need a connection", field="op"
        )
    session_id = change.key()["sessionId"]
    data = _pick(change.field_map(), SESSION_REQUEST_FIELDS)
    create = Step(Call.CREATE_SESSION, session_id, {**data, "sessionId": session_id})
    return Plan(ChangeStatus.APPLIED, (create,))


_PLANNERS: dict[Entity, Callable[[_Facts], Plan]] = {
    Entity.GOAL: _goal,
    Entity.HABIT: _habit,
    Entity.HABIT_COMPLETION: _completion,
    Entity.REFLECTION: _reflection,
    Entity.TODO: _todo,
    Entity.NOTIFICATION: _notification,
    Entity.SESSION: _session,
}

PLANNED_ENTITIES = frozenset(_PLANNERS)
"""The entities a device may write; the others are read-only."""
