"""What one sync costs the server as the devices grow in number and the users' history in size.

    python bench/sync_cost.py [--devices 50,100,200] [--history 0,1000,10000]
                              [--history-devices 50] [--rounds 4] [--engine sqlite]

Two series on one server process (issue 13 asks how the cost per sync grows with both):
- devices: 50, 100, 200 (400 if asked) devices, two per user, the users holding no history;
- history: ``--history-devices`` devices whose users each already hold 0, 1,000 or 10,000
  items (habit completions, todos and daily reflections over past days, written before the
  server starts: ``bench/user_history.py``).

Each run signs every device in and syncs it (its initial sync), then for ``--rounds`` rounds
of each kind of write (a new todo, a habit completion for today, an edit of today's
reflection): every user's first device writes and syncs (a push, then a pull), then every
user's second device syncs (a delta pull of that change). The devices are the real
``DeviceStore`` and ``SyncEngine``, ``--concurrency`` of them syncing at a time, without pokes
or timers, so each phase's requests are known.

The cost is the server process's CPU time (``/proc``) over a phase divided by the requests
it served: unlike a latency, it hardly grows when other processes share the cores (runs
at load average 1-4 spread about 20%). A pull
costs the readers' phase over its pulls; a push costs the writers' phase less its pulls (at
that price) over its pushes. p50 latencies are shown beside, for what they are worth on a
busy machine.

What should hold, and is checked at the end: a push and a delta pull cost the same whatever
the number of devices and the size of the history (a pull reads the caller's feed after
its cursor, a push the items it changes); an initial sync grows with the history, at a flat
cost per item.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `sync` the package, not bench/sync.py

import httpx  # noqa: E402

from bench.process_usage import cpu_seconds  # noqa: E402
from bench.sync_goals.devices import Device  # noqa: E402
from bench.user_history import History, seed_history  # noqa: E402
from harness.accounts import PASSWORD, Account, sign_up  # noqa: E402
from harness.dynamodb_local import DynamoDBLocal  # noqa: E402
from harness.processes import ServerProcess  # noqa: E402
from harness.shared_store import SharedStore  # noqa: E402

KINDS = ("todo", "completion", "reflection")
GROWTH_LIMIT = 1.5
"""A push or delta pull costing more than this times its cost at the smallest history (or
device count) of its series is reported as growing."""


@dataclass
class Phase:
    """One phase's server CPU time and the requests its devices sent, with their latencies."""

    cpu: float = 0.0
    push_seconds: list[float] = field(default_factory=list)
    pull_seconds: list[float] = field(default_factory=list)

    def add(self, other: Phase) -> None:
        self.cpu += other.cpu
        self.push_seconds += other.push_seconds
        self.pull_seconds += other.pull_seconds


@dataclass
class Cost:
    """One run: the server CPU ms of each kind of request, and the p50 latencies."""

    devices: int
    history: int
    initial_ms: float  # per device's initial sync (all its pages)
    initial_items: int  # pulled by one device
    pull_ms: dict[str, float]  # per kind of write the pull brought
    push_ms: dict[str, float]
    changes_per_pull: dict[str, float]
    pull_p50_ms: float
    push_p50_ms: float


class Fleet:
    """Two devices per user, signed in to one server; each phase runs some of them."""

    def __init__(self, server: ServerProcess, devices: list[Device], concurrency: int) -> None:
        self.server = server
        self.devices = devices
        self.gate = asyncio.Semaphore(concurrency)

    @property
    def writers(self) -> list[Device]:
        return self.devices[0::2]

    @property
    def readers(self) -> list[Device]:
        return self.devices[1::2]

    async def phase(
        self, devices: Sequence[Device], work: Callable[[Device], Awaitable[None]]
    ) -> Phase:
        """Run ``work`` on every device (``concurrency`` at a time); the server's CPU time."""
        for device in devices:
            device.remote.reset()
        assert self.server.proc is not None
        before = cpu_seconds(self.server.proc.pid)

        async def one(device: Device) -> None:
            async with self.gate:
                await work(device)

        await asyncio.gather(*(one(d) for d in devices))
        phase = Phase(cpu_seconds(self.server.proc.pid) - before)
        for device in devices:
            phase.push_seconds += device.remote.push_seconds
            phase.pull_seconds += device.remote.pull_seconds
        return phase


async def sync(device: Device) -> None:
    await device.sync()


def write(
    kind: str, round_: int, habits: dict[str, list[str]]
) -> Callable[[Device], Awaitable[None]]:
    """A writer's work in a round of ``kind``: one local write, then a sync."""
    today = datetime.now(UTC).date()

    async def work(device: Device) -> None:
        store = device.store
        if kind == "todo":
            store.create_todo(f"todo of round {round_}")
        elif kind == "completion":
            own = habits[store.user_id()]
            store.complete_habit(own[round_ % len(own)], today)
        else:
            store.write_reflection(today, "GOOD", text=f"Round {round_}: a good day.")
        await device.sync()

    return work


@contextmanager
def stack_of(folder: Path, engine: str) -> Iterator[SharedStore]:
    with ExitStack() as stack:
        dynamodb = None
        if engine == "dynamodb":
            dynamodb = stack.enter_context(DynamoDBLocal(folder / "dynamodb.log"))
        yield SharedStore(folder, dynamodb)


async def measure(
    folder: Path, *, engine: str, devices: int, history: int, rounds: int, concurrency: int
) -> Cost:
    today = datetime.now(UTC).date()
    with stack_of(folder, engine) as shared:
        with shared.start(ServerProcess) as server:  # sign-ups only: stopped before seeding
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                accounts: list[Account] = [await sign_up(http) for _ in range(devices // 2)]
        store = shared.engine()
        try:
            seeded: list[History] = [
                await seed_history(store, a.user_id, history, today) for a in accounts
            ]
        finally:
            await store.close()
        habits = {h.user_id: h.habit_ids for h in seeded}
        with shared.start(ServerProcess) as server:
            fleet = Fleet(
                server,
                [Device(folder / f"device-{n}.db", server.url) for n in range(2 * len(accounts))],
                concurrency,
            )
            try:
                for number, device in enumerate(fleet.devices):
                    await device.engine.sign_in(accounts[number // 2].email, PASSWORD)
                initial = await fleet.phase(fleet.devices, sync)
                initial_items = sum(fleet.devices[0].remote.pulled.values())
                await fleet.phase(fleet.readers, sync)  # what the initial syncs left: unmeasured
                pushes: dict[str, Phase] = {}
                pulls: dict[str, Phase] = {}
                pulled: dict[str, int] = {}
                for kind in KINDS:
                    writing, reading = Phase(), Phase()
                    pulled[kind] = 0
                    for round_ in range(rounds):
                        writing.add(await fleet.phase(fleet.writers, write(kind, round_, habits)))
                        reading.add(await fleet.phase(fleet.readers, sync))
                        pulled[kind] += sum(sum(d.remote.pulled.values()) for d in fleet.readers)
                    pushes[kind], pulls[kind] = writing, reading
            finally:
                for device in fleet.devices:
                    await device.close()
    pull_ms = {kind: 1000 * p.cpu / len(p.pull_seconds) for kind, p in pulls.items()}
    push_ms = {
        kind: 1000 * (p.cpu - len(p.pull_seconds) * pull_ms[kind] / 1000) / len(p.push_seconds)
        for kind, p in pushes.items()
    }
    all_pulls = [s for p in pulls.values() for s in p.pull_seconds]
    all_pushes = [s for p in pushes.values() for s in p.push_seconds]
    return Cost(
        devices,
        history,
        1000 * initial.cpu / len(fleet.devices),
        initial_items,
        pull_ms,
        push_ms,
        {kind: pulled[kind] / len(pulls[kind].pull_seconds) for kind in KINDS},
        1000 * statistics.median(all_pulls),
        1000 * statistics.median(all_pushes),
    )


HEAD = (
    f"{'devices':>8} {'history':>8} {'initial sync':>13} {'per 1k items':>13} "
    + " ".join(f"{k + ' push/pull':>24}" for k in KINDS)
    + f" {'pull p50':>9} {'push p50':>9}"
)


def row(cost: Cost) -> str:
    per_k = (
        f"{cost.initial_ms / cost.initial_items * 1000:>10.1f} ms"
        if cost.initial_items >= 1000
        else f"{'-':>13}"
    )
    kinds = [
        f"{cost.push_ms[k]:.2f}/{cost.pull_ms[k]:.2f} ({cost.changes_per_pull[k]:.1f} ch.)"
        for k in KINDS
    ]
    return (
        f"{cost.devices:>8} {cost.history:>8} {cost.initial_ms:>10.1f} ms {per_k} "
        + " ".join(f"{k:>24}" for k in kinds)
        + f" {cost.pull_p50_ms:>6.1f} ms {cost.push_p50_ms:>6.1f} ms"
    )


def growth(series: Sequence[Cost], name: str) -> list[str]:
    """What grew in ``series`` beyond ``GROWTH_LIMIT`` times its first run's cost."""
    first = series[0]
    found = []
    for cost in series[1:]:
        label = f"{cost.devices} devices" if name == "devices" else f"history {cost.history}"
        pairs = [(f"push {k}", first.push_ms[k], cost.push_ms[k]) for k in KINDS]
        pairs += [(f"pull {k}", first.pull_ms[k], cost.pull_ms[k]) for k in KINDS]
        for what, base, now in pairs:
            if now > GROWTH_LIMIT * base:
                found.append(f"{what} at {label}: {now:.2f} ms, {now / base:.1f}x its first run")
    return found


async def run_series(
    name: str, runs: list[tuple[int, int]], args: argparse.Namespace
) -> list[Cost]:
    print(f"\nseries: {name} ({args.engine}, 1 server process; server CPU ms per request,")
    print("   a pull's changes in brackets; p50 latencies over every push and pull)")
    print(HEAD)
    costs = []
    for devices, history in runs:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="growlink-cost-") as folder:
            cost = await measure(
                Path(folder),
                engine=args.engine,
                devices=devices,
                history=history,
                rounds=args.rounds,
                concurrency=args.concurrency,
            )
        costs.append(cost)
        print(row(cost), f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    return costs


async def main(args: argparse.Namespace) -> int:
    found: list[str] = []
    if args.devices:
        counts = [int(n) for n in args.devices.split(",")]
        costs = await run_series("devices", [(n, 0) for n in counts], args)
        found += growth(costs, "devices")
    if args.history:
        sizes = [int(n) for n in args.history.split(",")]
        costs = await run_series("history", [(args.history_devices, h) for h in sizes], args)
        found += growth(costs, "history")
        print(
            "   an initial sync should grow with the history at a flat cost per item; "
            "a push and a delta pull should not grow"
        )
    print()
    for line in found or [
        f"no push or delta pull grew by more than {GROWTH_LIMIT}x across a series"
    ]:
        print(f"   {line}")
    return 1 if found else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", default="50,100,200", help="the devices series ('' skips)")
    parser.add_argument("--history", default="0,1000,10000", help="items per user ('' skips)")
    parser.add_argument("--history-devices", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="per kind of write")
    parser.add_argument("--concurrency", type=int, default=8, help="devices syncing at once")
    parser.add_argument("--engine", default="sqlite", choices=("sqlite", "dynamodb"))
    raise SystemExit(asyncio.run(main(parser.parse_args())))
