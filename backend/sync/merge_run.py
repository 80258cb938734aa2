"""Carrying out a merge plan (``merge_plan.py``) through the services, step by step.

Every step is the service function a GraphQL mutation calls, so every business rule and
access check applies unchanged. The acknowledgement (and the plan's sync issue) ride on the
LAST step's commit through the ``Finisher``: a crash between two steps leaves the change
unacknowledged, and the device's retry plans it again against what the first steps wrote.

Test hook: ``GROWLINK_TEST_KILL_BETWEEN_STEPS=1`` makes the server process SIGKILL itself
right after the first step of any plan with more steps (tests/faults/test_step_kills.py).
It exists only for that test; no deployment sets it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from domain.goals import GoalStatus
from protocol.entities import Entity
from protocol.statuses import ChangeStatus

from ..changefeed.entities import TABLE_OF_ENTITY
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
from ..services.writes import Changes, retrying
from ..storage.items import Item
from ..storage.tables import Table
from .changes import DeviceChange
from .finish import Finisher
from .merge_plan import Call, Plan, Step

KILL_BETWEEN_STEPS_ENV = "GROWLINK_TEST_KILL_BETWEEN_STEPS"


@dataclass(frozen=True)
class Outcome:
    """What became of a change: its status and the server's item as it now stands."""

    status: ChangeStatus
    table: str
    item: Item | None
    issue_id: str | None = None


async def current_item(ctx: ServiceContext, entity: Entity, key: dict[str, str]) -> Item | None:
    """The stored item (tombstones included) that ``key`` names, read strongly consistently."""
    if entity is Entity.NOTIFICATION:
        found = await ctx.store.query(
            Table.NOTIFICATIONS, key["notificationId"], index="NotificationsById", limit=1
        )
        if not found.items:
            return None
        hit = found.items[0]
        return await ctx.store.get(
            Table.NOTIFICATIONS, {"userId": hit["userId"], "createdAt": hit["createdAt"]}
        )
    return await ctx.store.get(TABLE_OF_ENTITY[entity], key)


async def run_plan(
    ctx: ServiceContext,
    finisher: Finisher,
    change: DeviceChange,
    plan: Plan,
    current: Item | None,
) -> Outcome:
    """Run ``plan``'s steps in order; the finisher commits with the last one."""
    issue_id = finisher.new_issue(**plan.issue) if plan.issue is not None else None
    item = current
    for number, step in enumerate(plan.steps, start=1):
        last = number == len(plan.steps)
        if last:
            finisher.arm()
        item = await _CALLS[step.call](ctx, step)
        if not last:
            _die_here_if_testing()
    if plan.steps and plan.steps[-1].call in (Call.DELETE_TODO, Call.DELETE_REFLECTION):
        item = await ctx.store.get(change.table, change.key())  # the tombstone
    return Outcome(plan.status, change.table, item, issue_id)


def _die_here_if_testing() -> None:
    """The kill test's crash between two steps (see the module docstring)."""
    if os.environ.get(KILL_BETWEEN_STEPS_ENV) == "1":
        os.kill(os.getpid(), signal.SIGKILL)


@retrying
async def _restore_goal(ctx: ServiceContext, step: Step) -> Item:
    """Bring an archived goal back (an edit won over a concurrent archive), as a draft.

    A draft needs submitting again, so a goal with a mentor goes back through approval and
    no status rule is bypassed.
    """
    goal = await ctx.store.get(Table.GOALS, {"goalId": step.target})
    if goal is None:
        raise NotFound("no such goal")
    if goal["status"] != GoalStatus.ARCHIVED:
        return goal
    access.require_goal_owner(ctx.require_viewer(), goal)
    changes = Changes(ctx)
    restored = changes.update(
        Table.GOALS,
        goal,
        {"status": GoalStatus.DRAFT.value, "mentorApproved": False, "mentorApprovedAt": None},
    )
    await changes.commit()
    return restored


def _optional_text(step: Step, name: str) -> str | None:
    value = step.data.get(name)
    return None if value is None else str(value)


_CALLS: dict[Call, Callable[[ServiceContext, Step], Awaitable[Item]]] = {
    Call.CREATE_GOAL: lambda ctx, s: goals.create_goal(ctx, s.data),
    Call.UPDATE_GOAL: lambda ctx, s: goals.update_goal(ctx, s.target, s.data),
    Call.RESTORE_GOAL: _restore_goal,
    Call.ARCHIVE_GOAL: lambda ctx, s: goals.archive_goal(ctx, s.target),
    Call.SUBMIT_GOAL: lambda ctx, s: goals.submit_goal_for_approval(ctx, s.target),
    Call.APPROVE_GOAL: lambda ctx, s: goals.approve_goal(ctx, s.target),
    Call.COMPLETE_GOAL: lambda ctx, s: goals.complete_goal(ctx, s.target),
    Call.CREATE_HABIT: lambda ctx, s: habits.create_habit(ctx, s.data),
    Call.UPDATE_HABIT: lambda ctx, s: habits.update_habit(ctx, s.target, s.data),
    Call.SET_HABIT_STATUS: lambda ctx, s: habits.set_habit_status(
        ctx, s.target, str(s.data["status"])
    ),
    Call.COMPLETE_HABIT: lambda ctx, s: completions.complete_habit(
        ctx,
        s.target,
        str(s.data["day"]),
        _optional_text(s, "notes"),
        _optional_text(s, "evidence"),
    ),
    Call.UNCOMPLETE_HABIT: lambda ctx, s: completions.uncomplete_habit(
        ctx, s.target, str(s.data["day"])
    ),
    Call.CREATE_DAILY_REFLECTION: lambda ctx, s: reflections.create_daily(ctx, s.data),
    Call.CREATE_WEEKLY_REFLECTION: lambda ctx, s: reflections.create_weekly(ctx, s.data),
    Call.UPDATE_REFLECTION: lambda ctx, s: reflections.update_reflection(ctx, s.target, s.data),
    Call.DELETE_REFLECTION: lambda ctx, s: reflections.delete_reflection(ctx, s.target),
    Call.ADD_FEEDBACK: lambda ctx, s: reflections.add_feedback(
        ctx, s.target, str(s.data["feedback"])
    ),
    Call.CREATE_TODO: lambda ctx, s: todos.create_todo(ctx, s.data),
    Call.UPDATE_TODO: lambda ctx, s: todos.update_todo(ctx, s.target, s.data),
    Call.DELETE_TODO: lambda ctx, s: todos.delete_todo(ctx, s.target),
    Call.MARK_READ: lambda ctx, s: notifications.mark_read(ctx, s.target),
    Call.CREATE_SESSION: lambda ctx, s: sessions.create_session(ctx, s.data),
}
