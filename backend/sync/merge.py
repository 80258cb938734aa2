"""Applying one device change through the services, with the merge rule of its entity.

Every write goes through the same service functions as the GraphQL mutations, so every
business rule and access check applies unchanged; this module only decides WHICH service
calls a change becomes and how it meets a concurrent change (docs/sync-protocol.md section 5):

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

from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidTransition, NotAllowed, RuleViolation
from domain.goals import GoalStatus

from ..changefeed.entities import TABLE_OF_ENTITY
from ..changefeed.wire import wire_item
from ..errors import NotFound
from ..services import (
    access,
    completions,
    goals,
    habits,
    notifications,
    reflections,
    sessions,
    todos,
)
from ..services.context import ServiceContext
from ..services.loaders import is_live
from ..services.writes import CLIENT_ATTR, FIELD_VERSIONS_ATTR, Changes, retrying
from ..storage.items import Item
from .changes import DeviceChange
from .finish import Finisher

APPLIED, MERGED, CONFLICT = "APPLIED", "MERGED", "CONFLICT"

GOAL_FIELDS = ("title", "identity", "description", "category", "dueDate", "mentorId")
HABIT_FIELDS = ("title", "description", "frequency", "duration", "cue", "reward")
TODO_FIELDS = ("text", "done", "priority", "dueDate", "goalId")
REFLECTION_FIELDS = (
    "mood",
    "moodScore",
    "text",
    "content",
    "goalId",
    "isShared",
    "sharedWithMentorId",
)
REFLECTION_TEXT_FIELDS = ("text", "content")
SESSION_REQUEST_FIELDS = (
    "mentorId",
    "type",
    "venueId",
    "date",
    "time",
    "duration",
    "topic",
    "meetingLink",
)


@dataclass(frozen=True)
class Outcome:
    """What became of a change: its status and the server's item as it now stands."""

    status: str
    table: str
    item: Item | None
    issue_id: str | None = None


async def apply_change(
    ctx: ServiceContext, finisher: Finisher, change: DeviceChange, *, force: bool = False
) -> Outcome:
    """Apply ``change`` for the caller; business-rule failures raise their ``DomainError``."""
    applier = _APPLIERS.get(change.entity)
    if applier is None:
        raise RuleViolation(f"{change.entity} is read-only on devices", field="entity")
    if change.op not in ("PUT", "PATCH", "DELETE"):
        raise RuleViolation("op is PUT, PATCH or DELETE", field="op")
    return await applier(_Run(ctx, finisher, change, force))


async def current_item(ctx: ServiceContext, entity: str, key: dict[str, str]) -> Item | None:
    """The stored item (tombstones included) that ``key`` names, read strongly consistently."""
    if entity == "NOTIFICATION":
        found = await ctx.store.query(
            "Notifications", key["notificationId"], index="NotificationsById", limit=1
        )
        if not found.items:
            return None
        hit = found.items[0]
        return await ctx.store.get(
            "Notifications", {"userId": hit["userId"], "createdAt": hit["createdAt"]}
        )
    return await ctx.store.get(TABLE_OF_ENTITY[entity], key)


class _Run:
    """One change being applied: the context, its finisher and what was read."""

    def __init__(
        self, ctx: ServiceContext, finisher: Finisher, change: DeviceChange, force: bool
    ) -> None:
        self.ctx = ctx
        self.finisher = finisher
        self.change = change
        self.force = force
        self.viewer = ctx.require_viewer()

    def concurrent(self, current: Item | None) -> bool:
        """Whether someone else changed the item after the device's base version."""
        if self.force or current is None:
            return False
        if current.get(CLIENT_ATTR) == self.ctx.client_id and self.ctx.client_id is not None:
            return False
        base = self.change.base_version
        return base is None or base < int(current.get("_version", 0))

    def report(self, current: Item | None, *, code: str, message: str, field: str | None) -> str:
        """File a sync issue holding the device's change that did not apply (or was undone)."""
        change = self.change
        return self.finisher.new_issue(
            userId=self.viewer.user_id,
            entity=change.entity,
            key=change.key(),
            code=code,
            message=message,
            field=field,
            op=change.op,
            mine=change.fields if isinstance(change.fields, dict) else None,
            theirs=None
            if current is None
            else wire_item(change.table, current, self.viewer.user_id),
            clientId=self.ctx.client_id,
            mutationId=change.mutation_id,
        )


def _changed(current: Item, data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if current.get(name) != value}


def _pick(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: fields[name] for name in names if name in fields}


# -- goals ----------------------------------------------------------------------------------


async def _goal(run: _Run) -> Outcome:
    ctx, change = run.ctx, run.change
    goal_id = change.key()["goalId"]
    current = await ctx.store.get("Goals", {"goalId": goal_id})
    if current is not None:
        access.require_goal_reader(run.viewer, current)
    concurrent = run.concurrent(current)
    if change.op == "DELETE":
        if not is_live(current) or current is None or current["status"] == GoalStatus.ARCHIVED:
            return Outcome(APPLIED, "Goals", current)
        if concurrent:
            issue = run.report(
                current,
                code="EDITED_ELSEWHERE",
                message="the goal was changed on another device, so it was not archived",
                field=None,
            )
            return Outcome(CONFLICT, "Goals", current, issue)
        run.finisher.arm()
        return Outcome(APPLIED, "Goals", await goals.archive_goal(ctx, goal_id))

    fields = change.field_map()
    data = _pick(fields, GOAL_FIELDS)
    target = fields.get("status")
    if current is None or not is_live(current):
        if change.op == "PATCH":
            raise NotFound("no such goal")
        steps_left = target not in (None, GoalStatus.DRAFT)
        if not steps_left:
            run.finisher.arm()
        goal = await goals.create_goal(ctx, {**data, "goalId": goal_id})
        goal = await _goal_status(run, goal, target)
        return Outcome(APPLIED, "Goals", goal)

    goal = current
    status = MERGED if concurrent else APPLIED
    if goal["status"] == GoalStatus.ARCHIVED and (concurrent or run.force):
        goal = await _restore_goal(ctx, goal)
        status = MERGED
    edits = _changed(goal, data)
    if edits:
        if target in (None, goal["status"]):
            run.finisher.arm()
        goal = await goals.update_goal(ctx, goal_id, edits)
    goal = await _goal_status(run, goal, target)
    return Outcome(status, "Goals", goal)


async def _goal_status(run: _Run, goal: Item, target: Any) -> Item:
    """Move the goal toward ``target`` through the goal services (the server decides)."""
    ctx = run.ctx
    if target is None or target == goal["status"]:
        return goal
    if not isinstance(target, str) or target not in set(GoalStatus):
        raise RuleViolation("not a goal status", field="status")
    wanted = GoalStatus(target)
    run.finisher.arm()
    current = GoalStatus(goal["status"])
    if wanted is GoalStatus.ARCHIVED:
        return await goals.archive_goal(ctx, goal["goalId"])
    if wanted is GoalStatus.COMPLETED:
        return await goals.complete_goal(ctx, goal["goalId"])
    if current is GoalStatus.DRAFT and wanted in (GoalStatus.PENDING_APPROVAL, GoalStatus.ACTIVE):
        return await goals.submit_goal_for_approval(ctx, goal["goalId"])
    if current is GoalStatus.PENDING_APPROVAL and wanted is GoalStatus.ACTIVE:
        if run.viewer.user_id == goal.get("mentorId"):
            return await goals.approve_goal(ctx, goal["goalId"])
        return goal  # only the mentor's approval activates it: the server's status stays
    raise InvalidTransition("goal", current, wanted)


@retrying
async def _restore_goal(ctx: ServiceContext, archived: Item) -> Item:
    """Bring an archived goal back (an edit won over a concurrent archive), as a draft.

    A draft needs submitting again, so a goal with a mentor goes back through approval and
    no status rule is bypassed.
    """
    goal = await ctx.store.get("Goals", {"goalId": archived["goalId"]})
    if goal is None or goal["status"] != GoalStatus.ARCHIVED:
        return goal or archived
    access.require_goal_owner(ctx.require_viewer(), goal)
    changes = Changes(ctx)
    restored = changes.update(
        "Goals",
        goal,
        {"status": GoalStatus.DRAFT.value, "mentorApproved": False, "mentorApprovedAt": None},
    )
    await changes.commit()
    return restored


# -- habits ---------------------------------------------------------------------------------


async def _habit(run: _Run) -> Outcome:
    ctx, change = run.ctx, run.change
    habit_id = change.key()["habitId"]
    if change.op == "DELETE":
        raise RuleViolation("habits are never deleted: pause or complete them", field="op")
    fields = change.field_map()
    data = _pick(fields, HABIT_FIELDS)
    target = fields.get("status")
    current = await ctx.store.get("Habits", {"habitId": habit_id})
    if current is not None:
        access.require_habit_owner(run.viewer, current)
    if current is None or not is_live(current):
        if change.op == "PATCH":
            raise NotFound("no such habit")
        if target in (None, "active"):
            run.finisher.arm()
        habit = await habits.create_habit(
            ctx, {**data, "habitId": habit_id, "goalId": fields.get("goalId")}
        )
        if target not in (None, "active"):
            run.finisher.arm()
            habit = await habits.set_habit_status(ctx, habit_id, str(target))
        return Outcome(APPLIED, "Habits", habit)
    status = MERGED if run.concurrent(current) else APPLIED
    habit = current
    edits = _changed(current, data)
    if edits:
        if target in (None, current["status"]):
            run.finisher.arm()
        habit = await habits.update_habit(ctx, habit_id, edits)
    if target is not None and target != habit["status"]:
        run.finisher.arm()
        habit = await habits.set_habit_status(ctx, habit_id, str(target))
    return Outcome(status, "Habits", habit)


# -- completions ----------------------------------------------------------------------------


async def _completion(run: _Run) -> Outcome:
    ctx, change = run.ctx, run.change
    key = change.key()
    current = await ctx.store.get("HabitCompletions", key)
    if current is not None and current.get("userId") != run.viewer.user_id:
        raise NotAllowed("only the habit's owner may change it")
    live = current is not None and is_live(current)
    concurrent = run.concurrent(current)
    fields = change.field_map()
    day = str(fields.get("completedOn") or (current or {}).get("completedOn") or key["date"])
    extras = {name: fields[name] for name in ("notes", "evidence") if fields.get(name) is not None}
    done_now = bool(live and current and current.get("completed"))

    if change.op == "DELETE" or fields.get("completed") is False:
        if not done_now:
            return Outcome(APPLIED, "HabitCompletions", current)
        if concurrent:  # completed: true wins over a concurrent un-complete
            item = current
            if extras:
                run.finisher.arm()
                item = await completions.complete_habit(
                    ctx, key["habitId"], day, extras.get("notes"), extras.get("evidence")
                )
            return Outcome(MERGED, "HabitCompletions", item)
        if extras:  # notes / evidence written before the un-complete (one merged PATCH)
            await completions.complete_habit(
                ctx, key["habitId"], day, extras.get("notes"), extras.get("evidence")
            )
        run.finisher.arm()
        return Outcome(
            APPLIED,
            "HabitCompletions",
            await completions.uncomplete_habit(ctx, key["habitId"], day),
        )

    completes = fields.get("completed") is True or (change.op == "PUT" and not done_now)
    if not completes and not done_now:
        if live and concurrent:  # un-completed meanwhile: the delete wins, the edit is reported
            issue = run.report(
                current,
                code="DELETED_ELSEWHERE",
                message="the completion was undone on another device; this edit did not apply",
                field=None,
            )
            return Outcome(CONFLICT, "HabitCompletions", current, issue)
        if not live:
            raise NotFound("the habit has no completion on that date")
        raise RuleViolation("complete the habit to add notes or evidence", field="completed")
    run.finisher.arm()
    item = await completions.complete_habit(
        ctx, key["habitId"], day, extras.get("notes"), extras.get("evidence")
    )
    return Outcome(MERGED if concurrent else APPLIED, "HabitCompletions", item)


# -- reflections ----------------------------------------------------------------------------


async def _reflection(run: _Run) -> Outcome:
    ctx, change = run.ctx, run.change
    key = change.key()
    current = await ctx.store.get("Reflections", key)
    live = current is not None and is_live(current)
    if key["userId"] != run.viewer.user_id:
        return await _mentor_feedback(run, current if live else None)
    concurrent = run.concurrent(current)

    if change.op == "DELETE":
        if not live or current is None:
            return Outcome(APPLIED, "Reflections", current)
        if concurrent:  # the edit wins: the reflection stays
            issue = run.report(
                current,
                code="EDITED_ELSEWHERE",
                message="the reflection was changed on another device, so it was not deleted",
                field=None,
            )
            return Outcome(CONFLICT, "Reflections", current, issue)
        run.finisher.arm()
        await reflections.delete_reflection(ctx, key["date"])
        return Outcome(APPLIED, "Reflections", await ctx.store.get("Reflections", key))

    data = _pick(change.field_map(), REFLECTION_FIELDS)
    if not live:
        if current is not None and (concurrent or run.force):
            restored = {k: current[k] for k in REFLECTION_FIELDS if current.get(k) is not None}
            item = await _create_reflection(run, key["date"], {**restored, **data})
            return Outcome(MERGED, "Reflections", item)
        if change.op == "PATCH":
            raise NotFound("you have no reflection on this date")
        return Outcome(APPLIED, "Reflections", await _create_reflection(run, key["date"], data))

    assert current is not None
    clashes = _text_clashes(run, current, data) if concurrent else []
    edits = _changed(current, {k: v for k, v in data.items() if k not in clashes})
    issue_id = None
    if clashes:
        issue_id = run.finisher.new_issue(
            userId=run.viewer.user_id,
            entity=change.entity,
            key=key,
            code="CONFLICT",
            message="this text was also changed on another device; the server kept that one",
            field=clashes[0],
            op="PATCH",
            mine={name: data[name] for name in clashes},
            theirs={name: current.get(name) for name in clashes},
            clientId=ctx.client_id,
            mutationId=change.mutation_id,
        )
    item = current
    if edits:
        run.finisher.arm()
        item = await reflections.update_reflection(ctx, key["date"], edits)
    if issue_id is not None:
        return Outcome(CONFLICT, "Reflections", item, issue_id)
    return Outcome(MERGED if concurrent else APPLIED, "Reflections", item)


def _text_clashes(run: _Run, current: Item, data: dict[str, Any]) -> list[str]:
    """Text fields both sides changed: another writer touched them after the device's base."""
    base = run.change.base_version or 0
    stamps = current.get(FIELD_VERSIONS_ATTR) or {}
    clashes = []
    for name in REFLECTION_TEXT_FIELDS:
        if name not in data or data[name] == current.get(name):
            continue
        stamp = stamps.get(name) or {}
        if int(stamp.get("v", 0)) > base and stamp.get("c") != run.ctx.client_id:
            clashes.append(name)
    return clashes


async def _create_reflection(run: _Run, date: str, data: dict[str, Any]) -> Item:
    """A daily reflection, or a weekly one when it has content (its text follows as an edit)."""
    ctx = run.ctx
    if data.get("content") is None:
        run.finisher.arm()
        return await reflections.create_daily(ctx, {**data, "date": date})
    text = data.get("text")
    if text is None:
        run.finisher.arm()
    item = await reflections.create_weekly(ctx, {**data, "date": date})
    if text is not None:
        run.finisher.arm()
        item = await reflections.update_reflection(ctx, date, {"text": text})
    return item


async def _mentor_feedback(run: _Run, current: Item | None) -> Outcome:
    """The mentor a reflection is shared with writes ``mentorFeedback``, nothing else."""
    fields = run.change.field_map() if run.change.op != "DELETE" else {}
    if run.change.op == "DELETE" or set(fields) != {"mentorFeedback"}:
        raise NotAllowed("only the owner writes a reflection; its mentor adds feedback")
    if current is None:  # as for a reflection not shared: which days have one stays private
        raise NotAllowed("this reflection is not shared with you")
    feedback = fields["mentorFeedback"]
    text = feedback.get("feedback") if isinstance(feedback, dict) else feedback
    if not isinstance(text, str):
        raise RuleViolation("the feedback is text", field="mentorFeedback")
    run.finisher.arm()
    item = await reflections.add_feedback(run.ctx, current["reflectionId"], text)
    return Outcome(APPLIED, "Reflections", item)


# -- todos ----------------------------------------------------------------------------------


async def _todo(run: _Run) -> Outcome:
    ctx, change = run.ctx, run.change
    key = change.key()
    if key["userId"] != run.viewer.user_id:
        raise NotAllowed("todos belong to their user")
    current = await ctx.store.get("Todos", key)
    live = current is not None and is_live(current)
    concurrent = run.concurrent(current)

    if change.op == "DELETE":
        if not live or current is None:
            return Outcome(APPLIED, "Todos", current)
        issue_id = None
        if concurrent:  # the delete wins; the edit made meanwhile is reported
            edited = wire_item("Todos", current, run.viewer.user_id)
            issue_id = run.finisher.new_issue(
                userId=run.viewer.user_id,
                entity=change.entity,
                key=key,
                code="EDIT_DISCARDED",
                message="the todo was deleted; a change made to it on another device was lost",
                field=None,
                op="PUT",
                mine={name: edited[name] for name in TODO_FIELDS if name in edited},
                theirs=None,
                clientId=ctx.client_id,
                mutationId=change.mutation_id,
            )
        run.finisher.arm()
        await todos.delete_todo(ctx, key["todoId"])
        item = await ctx.store.get("Todos", key)
        return Outcome(MERGED if issue_id else APPLIED, "Todos", item, issue_id)

    data = _pick(change.field_map(), TODO_FIELDS)
    if not live:
        if current is not None and run.force:
            restored = {k: current[k] for k in TODO_FIELDS if current.get(k) is not None}
            data = {**restored, **data}
        elif current is not None and (concurrent or change.op == "PATCH"):
            issue = run.report(
                current,
                code="DELETED_ELSEWHERE",
                message="the todo was deleted on another device; this change did not apply",
                field=None,
            )
            return Outcome(CONFLICT, "Todos", current, issue)
        elif change.op == "PATCH":
            raise NotFound("no such todo")
        return Outcome(APPLIED, "Todos", await _create_todo(run, key["todoId"], data))

    assert current is not None
    edits = _changed(current, data)
    item = current
    if edits:
        run.finisher.arm()
        item = await todos.update_todo(ctx, key["todoId"], edits)
    return Outcome(MERGED if concurrent else APPLIED, "Todos", item)


async def _create_todo(run: _Run, todo_id: str, data: dict[str, Any]) -> Item:
    """Todos are created not done; a done one is marked so in a second step."""
    done = bool(data.get("done"))
    if not done:
        run.finisher.arm()
    item = await todos.create_todo(
        run.ctx, {**{k: v for k, v in data.items() if k != "done"}, "todoId": todo_id}
    )
    if done:
        run.finisher.arm()
        item = await todos.update_todo(run.ctx, todo_id, {"done": True})
    return item


# -- notifications and session requests -----------------------------------------------------


async def _notification(run: _Run) -> Outcome:
    ctx, change = run.ctx, run.change
    key = change.key()
    if change.op == "DELETE":
        raise RuleViolation("notifications are not deleted; mark them read", field="op")
    current = await current_item(ctx, change.entity, key)
    if current is None or not is_live(current) or current["userId"] != run.viewer.user_id:
        raise NotFound("no such notification")
    read = change.field_map().get("read")
    if read is True and not current.get("read"):
        run.finisher.arm()
        return Outcome(
            APPLIED, "Notifications", await notifications.mark_read(ctx, key["notificationId"])
        )
    if read is False and current.get("read"):
        return Outcome(MERGED, "Notifications", current)  # read: true wins
    return Outcome(APPLIED, "Notifications", current)


async def _session(run: _Run) -> Outcome:
    change = run.change
    if change.op != "PUT":
        raise RuleViolation(
            "a device only requests sessions; other changes need a connection", field="op"
        )
    session_id = change.key()["sessionId"]
    data = _pick(change.field_map(), SESSION_REQUEST_FIELDS)
    run.finisher.arm()
    session = await sessions.create_session(run.ctx, {**data, "sessionId": session_id})
    return Outcome(APPLIED, "Sessions", session)


_APPLIERS = {
    "GOAL": _goal,
    "HABIT": _habit,
    "HABIT_COMPLETION": _completion,
    "REFLECTION": _reflection,
    "TODO": _todo,
    "NOTIFICATION": _notification,
    "SESSION": _session,
}
