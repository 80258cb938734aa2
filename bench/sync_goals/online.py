"""S3, S4 and S5 against a running server: pushing a week offline, reconnecting after another
device's changes, and a change seen on another online device through ``syncPoke``."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.figures import Figure
from bench.sync_goals.devices import Device, devices, new_account
from sync import DeviceStore, Entity
from sync.engine import PUSH_BATCH

S4_CHANGES = 199


def queue_changes(store: DeviceStore, count: int) -> None:
    """``count`` outbox entries as a week offline makes them: goals, habits, a completion
    per habit and day, a reflection per day, todos created and some ticked off."""
    today = datetime.now(UTC).date()
    goals = [store.create_goal(f"goal {n}")["goalId"] for n in range(max(1, count // 200))]
    habits = [
        store.create_habit(goals[n % len(goals)], f"habit {n}", duration=2)["habitId"]
        for n in range(len(goals) * 4)
    ]
    days = [today - timedelta(days=d) for d in range(7)]
    for day in days:
        for habit in habits:
            store.complete_habit(habit, day)
        store.write_reflection(day, "GOOD", text=f"{day}: a steady day")
    rest = count - store.pending()
    todos = [store.create_todo(f"todo {n}")["todoId"] for n in range(rest - rest // 4)]
    for todo in todos[: rest // 4]:
        store.toggle_todo(todo)
    if store.pending() != count:
        raise RuntimeError(f"queued {store.pending()} changes, wanted {count}")


async def measure_push(
    folder: Path, url: str, count: int, engine: str, storage_calls: Callable[[], int] | None = None
) -> list[Figure]:
    async with devices(folder, url) as make:
        device: Device = await make("s3", await new_account(url), poke=False)
        await device.sync()  # the first sync: the user's profile
        queue_changes(device.store, count)
        device.remote.reset()
        calls_before = storage_calls() if storage_calls else 0
        started = time.perf_counter()
        report = await device.sync()
        total = time.perf_counter() - started
        pushed_s = device.remote.last_push_answered - started
        requests = len(device.remote.push_seconds)
        calls = storage_calls() - calls_before if storage_calls else 0
    if report.pushed != count or report.rejected or report.conflict:
        raise RuntimeError(f"push of {count}: {report}")
    print(
        f"S3 push of {count:,} queued changes ({engine}; goals, habits, completions, "
        f"reflections, todos): batches of <= {PUSH_BATCH}"
    )
    print(
        f"   {requests} push requests, {pushed_s:.2f} s until the last answer "
        f"({count / pushed_s:,.0f} changes/s); whole sync incl. pulling them back {total:.2f} s"
    )
    if storage_calls:
        print(
            f"   {calls:,} DynamoDB API calls in that sync ({calls / count:.1f} per change); moto "
            "deep-copies every table on each TransactWriteItems, so its time per call grows "
            "with the data"
        )
    tag = f"S3 {engine}"
    return [
        Figure(tag, f"push {count:,} changes: requests", requests, "", None, "<= 3", requests <= 3),
        Figure(
            tag, f"push {count:,} changes: seconds", pushed_s, "s", None, "<= 3 s", pushed_s <= 3
        ),
    ]


async def measure_reconnect(folder: Path, url: str, engine: str) -> list[Figure]:
    async with devices(folder, url) as make:
        account = await new_account(url)
        away: Device = await make("s4-away", account, poke=False)
        other: Device = await make("s4-other", account, poke=False)
        await away.sync()
        await other.sync()
        queue_changes(other.store, S4_CHANGES)
        await other.sync()
        away.remote.reset()
        started = time.perf_counter()
        report = await away.sync()
        seconds = time.perf_counter() - started
        pulls = len(away.remote.pull_seconds)
        kinds = away.remote.pulled
    print(
        f"S4 reconnect ({engine}): the device's cursor predates {S4_CHANGES} changes "
        "another device made"
    )
    shown = ", ".join(f"{n} {kind.lower()}" for kind, n in kinds.most_common())
    print(f"   {pulls} pull request(s), {seconds:.2f} s, {report.pulled} changes: {shown}")
    print("   (the server's own follow-ups included, e.g. habits whose streak a completion moved).")
    print(
        "   The cursor holds feed seqs, not a time: a cursor of any age within the tombstone TTL "
        "(GROWLINK_SYNC_TTL_DAYS,"
    )
    print(
        "   default 180 days) reads the same entries; an older one gets resetRequired "
        "(a full download, as in S2)."
    )
    tag = f"S4 {engine}"
    return [
        Figure(
            tag, f"reconnect, {S4_CHANGES} changes: pull requests", pulls, "", None, "1", pulls == 1
        )
    ]


async def measure_propagation(folder: Path, url: str, trials: int) -> list[Figure]:
    async with devices(folder, url) as make:
        account = await new_account(url)
        writer: Device = await make("s5-writer", account, poke=False)
        listener: Device = await make(
            "s5-listener", account, poke=True, interval=600, poll_without_poke=600
        )
        await writer.sync()
        listener.engine.start()
        latencies: list[float] = []
        for trial in range(trials + 1):  # the first one waits for the websocket: not counted
            await asyncio.sleep(0.3)  # the listener's previous sync is over
            if trial == 1:
                writer.remote.reset()
                listener.remote.reset()
            todo = writer.store.create_todo(f"seen elsewhere {trial}")
            key = {"userId": todo["userId"], "todoId": todo["todoId"]}
            started = time.perf_counter()
            await writer.sync()
            while listener.store.get(Entity.TODO, key) is None:
                if time.perf_counter() - started > 30:
                    raise RuntimeError("the listener never saw the change")
                await asyncio.sleep(0.002)
            latencies.append(time.perf_counter() - started)
        push_rt = statistics.median(writer.remote.push_seconds)
        pull_rt = statistics.median(listener.remote.pull_seconds)
    seen = latencies[1:]
    p50, floor = statistics.median(seen), push_rt + pull_rt
    print(
        f"S5 propagation over syncPoke: {trials} trials; device A writes and syncs, device B "
        "(engine started, polling every 600 s) pulls on the poke"
    )
    print(
        f"   seen on B after p50 {p50 * 1000:.0f} ms, max {max(seen) * 1000:.0f} ms "
        "(from A's sync start; the app debounces writes 300 ms before it)"
    )
    print(
        f"   floor: push round trip {push_rt * 1000:.1f} ms + pull round trip "
        f"{pull_rt * 1000:.1f} ms = {floor * 1000:.1f} ms; ratio {p50 / floor:.1f}x"
    )
    return [
        Figure(
            "S5 sqlite",
            "change seen on another device, p50",
            p50 * 1000,
            "ms",
            floor * 1000,
            "<= 1000 ms",
            p50 <= 1,
        )
    ]
