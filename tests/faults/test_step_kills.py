"""A change that takes several service calls, with the real server SIGKILLed between them.

The server runs with ``GROWLINK_TEST_KILL_BETWEEN_STEPS=1`` (backend/sync/merge_run.py): it
kills itself right after the first step of a multi-step plan. Each test checks that the
first step is stored but the change is NOT acknowledged (the client's ``lastMutationId`` did
not move), then restarts the server normally and shows the device's retry finishes the
change once: nothing pending, no issue, the final item as intended, and a new device
pulling exactly the rows the writer holds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backend.sync.merge_run import KILL_BETWEEN_STEPS_ENV
from sync.entities import Entity
from tests.faults.invariants import assert_devices_identical, server_items, server_storage
from tests.sync.real_server import Device, sign_up

Items = dict[str, dict[tuple[str, ...], Any]]


@contextlib.contextmanager
def killing_between_steps(server: Any) -> Iterator[None]:
    """The shared server restarted with the kill hook, and restarted without it after."""
    server.env[KILL_BETWEEN_STEPS_ENV] = "1"
    server.restart()
    try:
        yield
    finally:
        server.env.pop(KILL_BETWEEN_STEPS_ENV, None)
        server.restart()


def last_sunday() -> str:
    today = dt.datetime.now(dt.UTC).date()
    return (today - dt.timedelta(days=(today.weekday() + 1) % 7)).isoformat()


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@dataclass
class Interrupted:
    """One multi-step change: its setup (synced before the kill), the local write, what the
    server holds after the first step only, and the row the device must end with."""

    name: str
    prepare: Callable[[Device, Device], Awaitable[dict[str, str]]]
    write: Callable[[Device, dict[str, str]], None]
    first_step_only: Callable[[Items, dict[str, str]], bool]
    final: Callable[[Device, dict[str, str]], bool]


async def nothing(phone: Device, laptop: Device) -> dict[str, str]:
    return {}


async def goal_and_habit(phone: Device, laptop: Device) -> dict[str, str]:
    goal = phone.store.create_goal("be fit")
    habit = phone.store.create_habit(goal["goalId"], "pushups", duration=1)
    await phone.sync()
    return {"goalId": goal["goalId"], "habitId": habit["habitId"]}


async def completed_today(phone: Device, laptop: Device) -> dict[str, str]:
    ids = await goal_and_habit(phone, laptop)
    phone.store.complete_habit(ids["habitId"], today())
    await phone.sync()
    return ids


async def goal_archived_elsewhere(phone: Device, laptop: Device) -> dict[str, str]:
    goal = phone.store.create_goal("run a marathon")
    await phone.sync()
    await laptop.sync()
    laptop.store.delete(Entity.GOAL, {"goalId": goal["goalId"]})
    await laptop.sync()
    return {"goalId": goal["goalId"]}


def write_todo_done(phone: Device, ids: dict[str, str]) -> None:
    """A PUT of a todo that is already done (the outbox never folds into a PUT, so a
    device that creates and ticks offline sends two changes; a PUT like this one is what
    the protocol allows any client to send)."""
    ids["todoId"] = str(uuid.uuid4())
    key = {"userId": phone.store.user_id(), "todoId": ids["todoId"]}
    phone.store.put(Entity.TODO, key, {"text": "buy milk", "done": True})


def write_weekly_with_text(phone: Device, ids: dict[str, str]) -> None:
    answers = {"whatWentWell": "ran", "whatFeltHard": "rain", "insights": "shoes"}
    phone.store.write_reflection(last_sunday(), "GOOD", text="a long week", content=answers)


def write_goal_submitted(phone: Device, ids: dict[str, str]) -> None:
    ids["goalId"] = str(uuid.uuid4())
    phone.store.put(Entity.GOAL, {"goalId": ids["goalId"]}, {"title": "read", "status": "active"})


def write_habit_paused(phone: Device, ids: dict[str, str]) -> None:
    ids["habitId"] = str(uuid.uuid4())
    fields = {
        "goalId": ids["goalId"],
        "title": "stretch",
        "duration": 1,
        "frequency": "daily",
        "status": "paused",
    }
    phone.store.put(Entity.HABIT, {"habitId": ids["habitId"]}, fields)


def write_notes_then_uncomplete(phone: Device, ids: dict[str, str]) -> None:
    phone.store.complete_habit(ids["habitId"], today(), notes="sore arms")
    phone.store.uncomplete_habit(ids["habitId"], today())


def write_goal_edit(phone: Device, ids: dict[str, str]) -> None:
    phone.store.patch(Entity.GOAL, {"goalId": ids["goalId"]}, {"title": "run a half"})


def row(device: Device, entity: Entity, **key: str) -> dict[str, Any]:
    found = device.store.get(entity, key)
    assert found is not None, f"{entity} {key} is not on {device.path.name}"
    return found


CASES = [
    Interrupted(
        "a todo created done",
        nothing,
        write_todo_done,
        lambda items, ids: items["Todos"][(ids["todoId"],)]["done"] is False,
        lambda d, ids: (
            row(d, Entity.TODO, userId=d.store.user_id(), todoId=ids["todoId"])["done"] is True
        ),
    ),
    Interrupted(
        "a weekly reflection with text",
        nothing,
        write_weekly_with_text,
        lambda items, ids: (
            [("content" in r, "text" in r) for r in items["Reflections"].values()]
            == [(True, False)]
        ),
        lambda d, ids: (
            row(d, Entity.REFLECTION, userId=d.store.user_id(), date=last_sunday())["text"]
            == "a long week"
        ),
    ),
    Interrupted(
        "a goal created and submitted",
        nothing,
        write_goal_submitted,
        lambda items, ids: items["Goals"][(ids["goalId"],)]["status"] == "draft",
        lambda d, ids: row(d, Entity.GOAL, goalId=ids["goalId"])["status"] == "active",
    ),
    Interrupted(
        "a habit created paused",
        goal_and_habit,
        write_habit_paused,
        lambda items, ids: items["Habits"][(ids["habitId"],)]["status"] == "active",
        lambda d, ids: row(d, Entity.HABIT, habitId=ids["habitId"])["status"] == "paused",
    ),
    Interrupted(
        "notes added, then un-completed",
        completed_today,
        write_notes_then_uncomplete,
        lambda items, ids: any(
            c.get("notes") == "sore arms" and c["completed"]
            for c in items["HabitCompletions"].values()
        ),
        lambda d, ids: (
            not row(d, Entity.HABIT_COMPLETION, habitId=ids["habitId"], date=today())["completed"]
        ),
    ),
    Interrupted(
        "an edit restoring a goal archived elsewhere",
        goal_archived_elsewhere,
        write_goal_edit,
        lambda items, ids: (
            items["Goals"][(ids["goalId"],)]["status"] == "draft"
            and items["Goals"][(ids["goalId"],)]["title"] == "run a marathon"
        ),
        lambda d, ids: (
            row(d, Entity.GOAL, goalId=ids["goalId"])["title"] == "run a half"
            and row(d, Entity.GOAL, goalId=ids["goalId"])["status"] == "draft"
        ),
    ),
]


async def acknowledged(server: Any, device: Device) -> int:
    state = device.store.sync_state()
    key = {"ownerId": state.user_id, "name": f"client#{state.client_id}"}
    async with server_storage(server) as engine:
        record = await engine.get("SyncState", key)
    return int(record["lastMutationId"]) if record else 0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_a_server_killed_between_the_steps_of_a_change_converges_after_restart(
    server: Any, tmp_path: Path, case: Interrupted
) -> None:
    if not server.running:
        server.start()
    email = sign_up(server.url)
    phone = await Device(tmp_path / "phone.db", server.url, poke=False).sign_in(email)
    laptop = Device(tmp_path / "laptop.db", server.url, poke=False).sign_in_like(phone)
    witness = Device(tmp_path / "witness.db", server.url, poke=False).sign_in_like(phone)
    try:
        ids = await case.prepare(phone, laptop)
        before = await acknowledged(server, phone)
        with killing_between_steps(server):
            case.write(phone, ids)
            assert phone.store.pending() == 1, "the device folds the change into one"
            report = await phone.engine.sync_now()
            assert report.error is not None and report.retry, report
            assert server.proc.wait(timeout=30) == -signal.SIGKILL, "the hook did not fire"
            items = await server_items(server, phone.store.user_id())
            assert case.first_step_only(items, ids), "the first step is not stored alone"
            assert await acknowledged(server, phone) == before, "acknowledged before its end"

        await phone.sync_until_quiet()
        assert await acknowledged(server, phone) == before + 1
        assert case.final(phone, ids), "the retry did not finish the change"
        assert phone.store.issues() == [], "the retry left an issue"
        await laptop.sync()
        await witness.sync()
        assert_devices_identical([phone, laptop], witness)
    finally:
        for device in (phone, laptop, witness):
            await device.close()
