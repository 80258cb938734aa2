"""Load test: many syncing devices against 1, 2 or 4 server processes (loopback only).

    python bench/load.py [--devices 200] [--processes 1,2,4] [--engines sqlite,dynamodb]
                         [--seconds 60] [--writes-per-minute 3]

Each run starts Debian's ``redis-server`` (the broker), the store (a SQLite file, or AWS's
DynamoDB Local), and P ``growlink-server serve --broker`` processes on it. Devices are the
real ``DeviceStore`` and ``SyncEngine`` (many in this one process), two per user, the two on
different server processes when there are several: each writes a few todos a minute, syncs
after each write, and the other device hears of it through ``syncPoke`` and pulls it.

Reported per run: changes and requests per second, push and pull p50/p95/p99, the time from
a push's answer on one device until the other device has pulled that change (poke + pull),
errors (failed requests, changes never seen by the other device: must be 0), the server
processes' resident memory, and their CPU time per request served (``/proc``: the cost of a
sync, which holds on a shared machine where latencies do not; it includes the pokes' work).
A table of every run follows at the end. ``--devices`` and ``--processes`` take lists
(``--devices 50,100,200,400 --processes 1``: how the cost per request grows with the
devices under this load; ``bench/sync_cost.py`` separates pushes, pulls and initial syncs
and adds a user's history). On 2 cores the full matrix is CPU-bound; run it here, not in
the suite (``tests/bench/test_bench_load_smoke.py`` runs 20 devices on 2
processes).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `sync` the package, not bench/sync.py

import httpx  # noqa: E402

from bench.process_usage import cpu_seconds, rss_mb  # noqa: E402
from bench.sync_goals.devices import MeteredRemote  # noqa: E402
from harness.accounts import PASSWORD, Account, sign_up  # noqa: E402
from harness.dynamodb_local import DynamoDBLocal  # noqa: E402
from harness.processes import RedisServer, ServerProcess  # noqa: E402
from harness.shared_store import SharedStore  # noqa: E402
from sync import DeviceStore, Entity, GqlRemote, SyncEngine  # noqa: E402
from sync.wire import ChangeIn, PullPage, PushPayload  # noqa: E402

SETTLE_SECONDS = 30.0  # after the writes stop: how long the last changes may take to arrive


@dataclass
class Tally:
    """What every device of a run measured, in one place (one event loop: no locks)."""

    push_ms: list[float] = field(default_factory=list)  # gathered from the devices at the end
    pull_ms: list[float] = field(default_factory=list)
    arrival_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    written: int = 0
    # todoId -> (the writing device, when its push was answered)
    pushed_at: dict[str, tuple[int, float]] = field(default_factory=dict)
    # todoIds another device pulled before the writer had its push's answer (counted as 0 ms)
    pulled_early: set[str] = field(default_factory=set)


class TimedRemote(MeteredRemote):
    """The metered ``GqlRemote`` of the sync benchmark, also counting failed requests and
    noting when a change written on one device arrives on another."""

    def __init__(self, remote: GqlRemote, device: int, tally: Tally) -> None:
        super().__init__(remote)
        self.device = device
        self.tally = tally
        self.seen: set[str] = set()  # todos of the other device that arrived here
        self.own: set[str] = set()  # todos this device wrote

    async def push(self, client_id: str, changes: Sequence[ChangeIn], *, token: str) -> PushPayload:
        try:
            payload = await super().push(client_id, changes, token=token)
        except Exception as error:
            self.tally.errors.append(f"push: {error!r}")
            raise
        for change in changes:
            todo = change.key["todoId"] if change.entity is Entity.TODO else ""
            if todo and todo not in self.tally.pushed_at:
                self.tally.pushed_at[todo] = (self.device, self.last_push_answered)
                if todo in self.tally.pulled_early:
                    self.tally.arrival_ms.append(0.0)
        return payload

    async def pull(
        self,
        cursor: str | None,
        limit: int,
        *,
        token: str,
        sent: Callable[[], None] | None = None,
    ) -> PullPage:
        try:
            page = await super().pull(cursor, limit, token=token, sent=sent)
        except Exception as error:
            self.tally.errors.append(f"pull: {error!r}")
            raise
        answered = time.perf_counter()
        for change in page.changes:
            todo = str(change.key.get("todoId", "")) if change.entity is Entity.TODO else ""
            if not todo or todo in self.seen:
                continue
            pushed = self.tally.pushed_at.get(todo)
            if pushed is None:  # pushed, but the writer has not had the answer yet
                if todo in self.own:
                    continue
                self.seen.add(todo)
                self.tally.pulled_early.add(todo)
            elif pushed[0] != self.device:
                self.seen.add(todo)
                self.tally.arrival_ms.append(1000 * (answered - pushed[1]))
        return page


class SimulatedDevice:
    def __init__(self, folder: Path, number: int, url: str, tally: Tally) -> None:
        self.store = DeviceStore(folder / f"device-{number}.db")
        self.remote = TimedRemote(GqlRemote(url, timeout=60), number, tally)
        self.engine = SyncEngine(self.store, self.remote, server_url=url)
        self.tally = tally

    async def write_for(self, seconds: float, per_minute: float, rng: random.Random) -> None:
        """Todos at random times (a Poisson process), each followed by the engine's sync."""
        stop = time.monotonic() + seconds
        while True:
            wait = rng.expovariate(per_minute / 60)
            if time.monotonic() + wait >= stop:
                await asyncio.sleep(max(0.0, stop - time.monotonic()))
                return
            await asyncio.sleep(wait)
            todo = self.store.create_todo(f"todo {uuid.uuid4().hex[:8]}")
            self.remote.own.add(str(todo["todoId"]))
            self.tally.written += 1

    def todos(self) -> set[str]:
        return {str(row["todoId"]) for row in self.store.query(Entity.TODO)}

    async def close(self) -> None:
        await self.engine.stop()
        await self.remote.remote.aclose()
        self.store.close()


@dataclass(frozen=True)
class RunResult:
    engine: str
    processes: int
    devices: int
    seconds: float
    tally: Tally
    requests_per_second: float
    changes_per_second: float
    server_rss_mb: list[float]
    server_cpu_seconds: float
    """Of every server process together, while the devices wrote (not sign-in, not settling)."""

    @property
    def errors(self) -> int:
        return len(self.tally.errors)

    @property
    def requests(self) -> int:
        return len(self.tally.push_ms) + len(self.tally.pull_ms)

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / self.requests if self.requests else 0.0


def servers_cpu_seconds(running: Sequence[ServerProcess]) -> float:
    return sum(cpu_seconds(server.proc.pid) for server in running if server.proc is not None)


@contextmanager
def servers(
    folder: Path, engine: str, processes: int, broker: str | None
) -> Iterator[list[ServerProcess]]:
    """Redis (unless given its ``broker`` URL), the store and ``processes`` servers on it,
    all stopped at the end."""
    with ExitStack() as stack:
        if broker is None:
            broker = stack.enter_context(RedisServer(folder / "redis.log")).url
        dynamodb = None
        if engine == "dynamodb":
            dynamodb = stack.enter_context(DynamoDBLocal(folder / "dynamodb.log"))
        shared = SharedStore(folder, dynamodb)
        started = [
            stack.enter_context(shared.start(ServerProcess, "--broker", broker))
            for _ in range(processes)
        ]
        yield started


async def run_load(
    folder: Path,
    *,
    engine: str,
    processes: int,
    devices: int,
    seconds: float,
    writes_per_minute: float,
    broker: str | None = None,
    seed: int = 13,
) -> RunResult:
    """One run of the matrix; devices are folded into pairs (one user each)."""
    rng = random.Random(seed)
    tally = Tally()
    with servers(folder, engine, processes, broker) as running:
        urls = [server.url for server in running]
        async with httpx.AsyncClient(base_url=urls[0], timeout=60) as http:
            accounts: list[Account] = [await sign_up(http) for _ in range((devices + 1) // 2)]
        fleet: list[SimulatedDevice] = []
        for number in range(devices):
            account = accounts[number // 2]
            # The two devices of a user sit on different processes when there are several.
            url = urls[(number // 2 + number % 2) % len(urls)]
            device = SimulatedDevice(folder, number, url, tally)
            await device.engine.sign_in(account.email, PASSWORD)
            device.engine.start()
            fleet.append(device)
        try:
            await quiet(fleet)
            for device in fleet:  # the first syncs (sign-in) are not part of the load
                device.remote.reset()
            cpu_before = servers_cpu_seconds(running)
            started = time.perf_counter()
            await asyncio.gather(*(d.write_for(seconds, writes_per_minute, rng) for d in fleet))
            elapsed = time.perf_counter() - started
            cpu = servers_cpu_seconds(running) - cpu_before
            for device in fleet:
                tally.push_ms += [1000 * s for s in device.remote.push_seconds]
                tally.pull_ms += [1000 * s for s in device.remote.pull_seconds]
            memory = [rss_mb(server.proc.pid) for server in running if server.proc is not None]
            await settle(fleet, tally)
        finally:
            for device in fleet:
                await device.close()
    return RunResult(
        engine,
        processes,
        devices,
        elapsed,
        tally,
        (len(tally.push_ms) + len(tally.pull_ms)) / elapsed,
        tally.written / elapsed,
        memory,
        cpu,
    )


async def quiet(fleet: list[SimulatedDevice]) -> None:
    """Until every device has pulled once and none is syncing: the sign-ins' first syncs and
    the pokes they caused end before the measured window starts, so its requests and CPU
    time are the load's own."""
    while any(
        device.store.sync_state().cursor is None or device.store.status().syncing
        for device in fleet
    ):
        await asyncio.sleep(0.2)


async def settle(fleet: list[SimulatedDevice], tally: Tally) -> None:
    """Wait until each device holds every todo of its user, or note each one missing."""
    pairs = [fleet[n : n + 2] for n in range(0, len(fleet), 2)]
    give_up = time.monotonic() + SETTLE_SECONDS
    while True:
        missing = [
            (pair, todo)
            for pair in pairs
            if len(pair) == 2
            for todo in pair[0].todos() ^ pair[1].todos()
        ]
        pending = sum(d.store.pending() for d in fleet)
        if (not missing and not pending) or time.monotonic() > give_up:
            break
        await asyncio.sleep(0.5)
    tally.errors += [f"todo {todo} never reached the user's other device" for _, todo in missing]
    if pending:
        tally.errors.append(f"{pending} changes still waiting to be pushed")


def cuts(values: list[float]) -> str:
    """p50/p95/p99 in whole ms."""
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100)
    return f"{q[49]:.0f}/{q[94]:.0f}/{q[98]:.0f}"


def percentiles(values: list[float]) -> str:
    return "n/a" if len(values) < 2 else f"p50/p95/p99 {cuts(values)} ms"


def report(result: RunResult) -> None:
    tally = result.tally
    print(
        f"{result.engine}, {result.processes} process(es), {result.devices} devices, "
        f"{result.seconds:.0f} s"
    )
    print(
        f"   {tally.written} changes ({result.changes_per_second:.1f}/s), "
        f"{result.requests_per_second:.1f} requests/s"
    )
    print(f"   push  {percentiles(tally.push_ms)} ({len(tally.push_ms)})")
    print(f"   pull  {percentiles(tally.pull_ms)} ({len(tally.pull_ms)})")
    print(
        f"   on the other device after  {percentiles(tally.arrival_ms)} "
        f"({len(tally.arrival_ms)} changes; poke + pull)"
    )
    memory = ", ".join(f"{mb:.0f}" for mb in result.server_rss_mb)
    print(f"   server memory (RSS MB): {memory}")
    print(
        f"   server CPU: {result.server_cpu_seconds:.1f} s for {result.requests} requests, "
        f"{result.cpu_ms_per_request:.2f} ms per request (pokes included)"
    )
    print(f"   errors: {result.errors}")
    for error in tally.errors[:5]:
        print(f"      {error}")


TABLE = (
    ("engine", 9),
    ("procs", 6),
    ("devices", 8),
    ("changes/s", 10),
    ("requests/s", 11),
    ("push p50/95/99", 15),
    ("pull p50/95/99", 15),
    ("arrival p50/95/99", 18),
    ("errors", 7),
    ("RSS MB/server", 14),
    ("CPU ms/request", 14),
)


def print_table(results: Sequence[RunResult]) -> None:
    """Every run in one table: latencies in ms, RSS the largest server's, CPU per request of
    all servers together (what one more sync costs, whatever the machine's other load)."""
    print()
    print("  ".join(f"{name:>{width}}" for name, width in TABLE))
    for r in results:
        cells = (
            r.engine,
            str(r.processes),
            str(r.devices),
            f"{r.changes_per_second:.1f}",
            f"{r.requests_per_second:.1f}",
            cuts(r.tally.push_ms),
            cuts(r.tally.pull_ms),
            cuts(r.tally.arrival_ms),
            str(r.errors),
            f"{max(r.server_rss_mb, default=0):.0f}",
            f"{r.cpu_ms_per_request:.2f}",
        )
        print("  ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, TABLE, strict=True)))


async def main(args: argparse.Namespace) -> int:
    results: list[RunResult] = []
    runs = [
        (engine, int(processes), int(devices))
        for engine in args.engines.split(",")
        for processes in args.processes.split(",")
        for devices in args.devices.split(",")
    ]
    for engine, processes, devices in runs:
        with tempfile.TemporaryDirectory(prefix="growlink-load-") as folder:
            result = await run_load(
                Path(folder),
                engine=engine,
                processes=processes,
                devices=devices,
                seconds=args.seconds,
                writes_per_minute=args.writes_per_minute,
            )
        report(result)
        results.append(result)
    print_table(results)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", default="200", help="device counts, e.g. 50,100,200")
    parser.add_argument("--processes", default="1,2,4", help="server process counts")
    parser.add_argument("--engines", default="sqlite,dynamodb")
    parser.add_argument("--seconds", type=float, default=60.0, help="writing time per run")
    parser.add_argument("--writes-per-minute", type=float, default=3.0, help="per device")
    raise SystemExit(asyncio.run(main(parser.parse_args())))
