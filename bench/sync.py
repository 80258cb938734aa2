"""Sync benchmark: the goals S1-S5 of docs/sync-protocol.md section 7, each beside its floor.

    python bench/sync.py [--quick] [--items 50000] [--engine sqlite|dynamodb|both]

Everything is real: the script starts ``growlink-server serve`` on 127.0.0.1 (on a SQLite file,
or on DynamoDB served by a moto server it also starts) and drives ``DeviceStore``,
``SyncEngine`` and ``GqlRemote`` as the app does. Requests are counted and timed by a
wrapper around the real ``GqlRemote``; nothing is mocked.

- S1 local write incl. outbox (p50, p99) on a device file; floor: raw sqlite3 writing a row
  and an outbox row in one transaction.
- S2 initial sync of a mentor with many mentees: ``--items`` goals and shared reflections,
  seeded through ``pushChanges`` (cached under bench/.cache/ by item count), pulled by an
  empty device, then split into phases each measured again on its own; floor: raw sqlite3
  upsert of the same rows in one transaction + orjson parse of the same responses.
- S3 push of 1,000 queued changes: requests and seconds (also on DynamoDB).
- S4 reconnect after another device made 199 changes: pull requests (also on DynamoDB).
- S5 a change on one device seen by another online device (``syncPoke``): p50; floor: a push
  round trip plus a pull round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from inspect import isawaitable
from pathlib import Path
from typing import Any

import httpx
import orjson
from graphql import ExecutionResult, execute, parse

ROOT = Path(__file__).resolve().parent.parent
# `python bench/sync.py` puts bench/ first on sys.path, where this very file would shadow the
# `sync` package: the project root goes in front of it.
sys.path.insert(0, str(ROOT))

from backend.api.schema import build_schema  # noqa: E402
from backend.app import build_services  # noqa: E402
from backend.config import StorageSettings  # noqa: E402
from backend.services.context import ServiceContext, Viewer  # noqa: E402
from backend.sync.pull import pull_changes  # noqa: E402
from sync import DeviceStore, Entity, GqlRemote, Op, SyncEngine, SyncReport  # noqa: E402
from sync.apply import apply_pull_page  # noqa: E402
from sync.documents import document  # noqa: E402
from sync.engine import PULL_LIMIT, PUSH_BATCH  # noqa: E402
from sync.wire import AuthSession, ChangeIn, ChangeStatus, PullPage, PushPayload  # noqa: E402

PASSWORD = "correct horse battery"
JWT_SECRET = "bench-" + "x" * 42
SEED_FORMAT = 1  # bump when the seeded world changes: old cache files are then ignored
ITEMS_PER_MENTEE = 500  # one pushChanges batch each
GOALS_PER_MENTEE = 25
HABITS_FOR_S1 = 250
S1_KINDS = ("create_todo", "complete_habit", "write_reflection")
S4_CHANGES = 199
E2E_RUNS = 2
INDEX_LAG_SECONDS = 10  # backend.changefeed.runtime.SyncSettings.index_lag
DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


# -- figures and the summary ----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One measured figure: printed in its section and again in the summary table."""

    goal: str
    what: str
    value: float
    unit: str  # "ms", "s" or "" for a count
    floor: float | None = None
    target: str = ""
    met: bool | None = None

    def shown(self, value: float | None = None) -> str:
        value = self.value if value is None else value
        if self.unit == "":
            return f"{value:,.0f}"
        return f"{value:,.3f} {self.unit}" if value < 10 else f"{value:,.1f} {self.unit}"

    @property
    def ratio(self) -> str:
        return f"{self.value / self.floor:.1f}x" if self.floor else "-"


def verdict(met: bool | None) -> str:
    return "-" if met is None else ("met" if met else "MISSED")


def print_summary(figures: Sequence[Figure]) -> None:
    print()
    print("summary")
    print(
        f"{'goal':<14}{'figure':<46}{'value':>12}{'floor':>12}{'ratio':>8}  "
        f"{'target':<22}{'verdict'}"
    )
    for f in figures:
        floor = f.shown(f.floor) if f.floor is not None else "-"
        print(
            f"{f.goal:<14}{f.what:<46}{f.shown():>12}{floor:>12}{f.ratio:>8}  "
            f"{f.target:<22}{verdict(f.met)}"
        )


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- processes: moto and the Growlink server --------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env() -> dict[str, str]:
    return {**os.environ, **DUMMY_AWS, "GROWLINK_JWT_SECRET": JWT_SECRET}


@contextlib.contextmanager
def child_process(command: list[str], log: Path, ready: Callable[[], bool]) -> Iterator[None]:
    """Run ``command`` until the block ends; ``ready()`` is polled for up to 60 s first."""
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=server_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[2]} did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status < 500)
    except OSError:
        return False


@dataclass(frozen=True)
class Moto:
    url: str
    log: Path

    def calls(self) -> int:
        """DynamoDB API calls served so far (moto logs one line per request)."""
        return self.log.read_text(errors="replace").count('"POST / HTTP')


@contextlib.contextmanager
def moto_server(folder: Path) -> Iterator[Moto]:
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    moto = Moto(f"http://127.0.0.1:{port}", folder / "moto.log")
    with child_process(command, moto.log, lambda: answers(f"{moto.url}/moto-api/")):
        yield moto


@contextlib.contextmanager
def growlink_server(storage: list[str], log: Path) -> Iterator[str]:
    """``growlink-server serve`` with ``storage`` options; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "backend.cli", "serve", *storage]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    with child_process(command, log, lambda: answers(f"{url}/health")):
        yield url


def dynamodb_storage(endpoint: str) -> list[str]:
    """Options for a fresh table prefix on the moto server, its tables created."""
    options = ["--engine", "dynamodb", "--endpoint-url", endpoint]
    options += ["--table-prefix", f"bench{uuid.uuid4().hex[:6]}-"]
    command = [sys.executable, "-m", "backend.cli", "init-tables", *options]
    subprocess.run(command, env=server_env(), check=True, capture_output=True, timeout=300)
    return options


# -- accounts and devices -------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    email: str
    user_id: str
    token: str


async def sign_up(http: httpx.AsyncClient, name: str, role: str = "MENTEE") -> Account:
    email = f"{name}@bench.growlink.example"
    answer = (
        await http.post(
            "/graphql",
            json={
                "query": "mutation($i: SignUpInput!) "
                "{ signUp(input: $i) { accessToken user { userId } } }",
                "variables": {
                    "i": {
                        "email": email,
                        "username": name,
                        "name": name,
                        "password": PASSWORD,
                        "role": role,
                        "timeZone": "UTC",
                    }
                },
            },
        )
    ).json()
    if answer.get("errors"):
        raise RuntimeError(answer["errors"])
    payload = answer["data"]["signUp"]
    return Account(email, payload["user"]["userId"], payload["accessToken"])


async def new_account(url: str, role: str = "MENTEE") -> Account:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        return await sign_up(http, f"u{uuid.uuid4().hex[:12]}", role)


class MeteredRemote:
    """The real ``GqlRemote``, counting and timing the engine's push and pull requests.

    Pulled pages are not kept (holding 50,000 changes would slow the measured sync down with
    garbage-collector work), only their cursors and what they held.
    """

    def __init__(self, remote: GqlRemote) -> None:
        self.remote = remote
        self.reset()

    def reset(self) -> None:
        self.push_seconds: list[float] = []
        self.pull_seconds: list[float] = []
        self.cursors: list[str | None] = []
        self.pulled: Counter[str] = Counter()
        self.last_push_answered = 0.0

    async def push(self, client_id: str, changes: Sequence[ChangeIn], *, token: str) -> PushPayload:
        started = time.perf_counter()
        payload = await self.remote.push(client_id, changes, token=token)
        self.last_push_answered = time.perf_counter()
        self.push_seconds.append(self.last_push_answered - started)
        return payload

    async def pull(self, cursor: str | None, limit: int, *, token: str) -> PullPage:
        started = time.perf_counter()
        page = await self.remote.pull(cursor, limit, token=token)
        self.pull_seconds.append(time.perf_counter() - started)
        self.cursors.append(cursor)
        self.pulled.update(change.entity.value for change in page.changes)
        return page

    async def sign_in(self, email: str, password: str) -> AuthSession:
        return await self.remote.sign_in(email, password)

    async def refresh(self, refresh_token: str) -> AuthSession:
        return await self.remote.refresh(refresh_token)

    async def resolve_issue(self, issue_id: str, resolution: str, *, token: str) -> None:
        await self.remote.resolve_issue(issue_id, resolution, token=token)


class Device:
    """A device file and its engine, signed in to the bench server."""

    def __init__(self, path: Path, url: str, **options: Any) -> None:
        self.store = DeviceStore(path)
        self.remote = MeteredRemote(GqlRemote(url, timeout=120))
        self.engine = SyncEngine(self.store, self.remote, server_url=url, **options)

    async def sync(self) -> SyncReport:
        report = await self.engine.sync_now()
        if report.error is not None:
            raise RuntimeError(f"sync failed: {report.error}")
        return report

    async def close(self) -> None:
        await self.engine.stop()
        await self.remote.remote.aclose()
        self.store.close()


@contextlib.asynccontextmanager
async def devices(folder: Path, url: str) -> AsyncIterator[Callable[..., Any]]:
    """``await make(name, account, **engine_options)``: a signed-in device, closed at the end."""
    made: list[Device] = []

    async def make(name: str, account: Account, **options: Any) -> Device:
        device = Device(folder / f"{name}-{uuid.uuid4().hex[:6]}.db", url, **options)
        made.append(device)
        await device.engine.sign_in(account.email, PASSWORD)
        return device

    try:
        yield make
    finally:
        for device in made:
            await device.close()


# -- S1: local writes -------------------------------------------------------------------------


def local_writes(folder: Path, writes: int) -> dict[str, list[float]]:
    """A third each: ``create_todo``, ``complete_habit`` (a new completion: 250 habits x the
    last 7 days) and ``write_reflection`` of today (a PATCH), timed one by one, by kind."""
    today = datetime.now(UTC).date()
    with DeviceStore(folder / "s1-device.db") as store:
        store.adopt_session("http://bench.invalid", AuthSession("t", "r", str(uuid.uuid4())))
        goal = store.create_goal("Become a runner", identity="someone who runs")
        habits = [
            store.create_habit(goal["goalId"], f"habit {n}", duration=2)["habitId"]
            for n in range(HABITS_FOR_S1)
        ]
        store.write_reflection(today, "GOOD", text="a first line")
        latencies: dict[str, list[float]] = {kind: [] for kind in S1_KINDS}
        for i in range(writes):
            n = i // 3
            started = time.perf_counter()
            if i % 3 == 0:
                store.create_todo(f"todo {i}", priority="high")
            elif i % 3 == 1:
                day = today - timedelta(days=n // HABITS_FOR_S1 % 7)
                store.complete_habit(habits[n % HABITS_FOR_S1], day, notes="done")
            else:
                store.write_reflection(today, text=f"line {i}: what went well today")
            latencies[S1_KINDS[i % 3]].append(time.perf_counter() - started)
    return latencies


def raw_local_writes(folder: Path, writes: int) -> list[float]:
    """The floor: sqlite3 (WAL, synchronous=NORMAL as on the device) writing a row and an
    outbox row in one transaction, the JSON prepared beforehand."""
    conn = sqlite3.connect(folder / "s1-raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE items (entity TEXT, key_json TEXT, data TEXT, version INTEGER, "
        "updated_at TEXT, PRIMARY KEY (entity, key_json)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE outbox (mutation_id INTEGER PRIMARY KEY, entity TEXT, key_json TEXT, "
        "op TEXT, fields TEXT, client_time TEXT)"
    )
    rows = []
    for i in range(writes):
        key = json.dumps({"todoId": str(uuid.uuid4()), "userId": "u"})
        fields = json.dumps({"text": f"todo {i}", "priority": "high"})
        rows.append((key, fields, json.dumps({"text": f"todo {i}", "done": False})))
    latencies: list[float] = []
    now = datetime.now(UTC).isoformat()
    for i, (key, fields, data) in enumerate(rows, start=1):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT OR REPLACE INTO items VALUES ('TODO', ?, ?, NULL, ?)", (key, data, now)
        )
        conn.execute("INSERT INTO outbox VALUES (?, 'TODO', ?, 'PUT', ?, ?)", (i, key, fields, now))
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


def measure_local_writes(folder: Path, writes: int) -> list[Figure]:
    by_kind = local_writes(folder, writes)
    device = [seconds for latencies in by_kind.values() for seconds in latencies]
    raw = raw_local_writes(folder, writes)
    d50, d99 = statistics.median(device) * 1000, pct(device, 0.99) * 1000
    r50, r99 = statistics.median(raw) * 1000, pct(raw, 0.99) * 1000
    print(
        f"S1 local write incl. outbox: {writes:,} DeviceStore writes on a device file "
        "(create_todo / complete_habit / write_reflection patch, a third each)"
    )
    print(f"   DeviceStore: p50 {d50:.3f} ms  p99 {d99:.3f} ms")
    print(
        "   by kind, p50: "
        + ", ".join(
            f"{kind} {statistics.median(latencies) * 1000:.3f} ms"
            for kind, latencies in by_kind.items()
        )
        + "\n   (complete_habit reads the habit and the completion before it writes, "
        "write_reflection the day's reflection)"
    )
    print(
        "   floor (raw sqlite3 row + outbox row, one transaction): "
        f"p50 {r50:.3f} ms  p99 {r99:.3f} ms"
    )
    print(f"   ratio: p50 {d50 / r50:.1f}x  p99 {d99 / r99:.1f}x")
    return [
        Figure("S1 device", "local write p50", d50, "ms", r50, "<= 1 ms", d50 <= 1),
        Figure("S1 device", "local write p99", d99, "ms", r99, "<= 5 ms", d99 <= 5),
    ]


# -- S2: the seeded mentor world and the initial sync ----------------------------------------


def mentee_changes(mentee_id: str, mentor_id: str, count: int) -> list[ChangeIn]:
    """A mentee's offline work as a device pushes it: goals the mentor is assigned to, then a
    daily reflection shared with the mentor for each of the ``count - goals`` days before today."""
    goals = min(GOALS_PER_MENTEE, count)
    today = datetime.now(UTC).date()
    changes = [
        ChangeIn(
            n + 1,
            Entity.GOAL,
            {"goalId": str(uuid.uuid4())},
            Op.PUT,
            None,
            {
                "title": f"Goal {n}: run a 10k",
                "identity": "someone who shows up",
                "description": "Three short runs a week, one longer run on Sunday.",
                "mentorId": mentor_id,
            },
            None,
        )
        for n in range(goals)
    ]
    for n in range(count - goals):
        day = (today - timedelta(days=n + 1)).isoformat()
        fields = {
            "mood": ("GREAT", "GOOD", "NEUTRAL", "BAD")[n % 4],
            "moodScore": 3 + n % 7,
            "text": f"Day {n}: kept the streak, the morning run felt easier than last week.",
            "isShared": True,
            "sharedWithMentorId": mentor_id,
        }
        key = {"userId": mentee_id, "date": day}
        changes.append(
            ChangeIn(len(changes) + 1, Entity.REFLECTION, key, Op.PUT, None, fields, None)
        )
    return changes


async def seed_mentor_world(url: str, items: int) -> dict[str, Any]:
    """Sign up a mentor and ``items / 500`` mentees; each mentee pushes its 500 changes in one
    ``pushChanges``, so the server stores items, feed entries and acks exactly as it does for
    devices."""
    mentees = -(-items // ITEMS_PER_MENTEE)
    remote = GqlRemote(url, timeout=300)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            mentor = await sign_up(http, "mentor", "MENTOR")
            for m in range(mentees):
                mentee = await sign_up(http, f"mentee{m:05d}")
                count = min(ITEMS_PER_MENTEE, items - m * ITEMS_PER_MENTEE)
                changes = mentee_changes(mentee.user_id, mentor.user_id, count)
                payload = await remote.push(str(uuid.uuid4()), changes, token=mentee.token)
                refused = [r for r in payload.results if r.status is not ChangeStatus.APPLIED]
                if refused or len(payload.results) != count:
                    raise RuntimeError(
                        f"seeding: {len(refused)} changes not applied: {refused[:1]}"
                    )
    finally:
        await remote.aclose()
    return {"mentor_email": mentor.email, "mentees": mentees, "items": items}


def seeded_world(
    cache: Path, items: int, folder: Path, *, settle: bool
) -> tuple[Path, dict[str, Any]]:
    """The cached server file for ``items`` (built first when missing) and its description.

    ``settle``: after seeding, wait out the server's index-lag window (an initial sync replays
    the last 10 s of the feed), so the first measured sync pulls what every later one does.
    """
    db = cache / f"mentor-world-{items}-f{SEED_FORMAT}.db"
    meta = db.with_suffix(".json")
    if db.exists() and meta.exists():
        return db, json.loads(meta.read_text())
    cache.mkdir(parents=True, exist_ok=True)
    building = folder / "seeding.db"
    started = time.perf_counter()
    with growlink_server(["--db", str(building)], folder / "seed-server.log") as url:
        world = asyncio.run(seed_mentor_world(url, items))
    seeded = time.monotonic()
    with contextlib.closing(sqlite3.connect(building)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(building, db)
    meta.write_text(json.dumps(world))  # last: a cache file without it is rebuilt
    print(
        f"   (seeded {items:,} items through pushChanges in {time.perf_counter() - started:.0f} s;"
        f" cached as {db.relative_to(ROOT) if db.is_relative_to(ROOT) else db})"
    )
    if settle:
        time.sleep(max(0.0, INDEX_LAG_SECONDS + 1 - (time.monotonic() - seeded)))
    return db, world


async def in_process_pulls(
    db: Path, mentor_id: str, cursors: Sequence[str | None], repeats: int = 2
) -> tuple[float, float]:
    """Seconds the server spends on the same pulls, in this process on the same file:
    ``pull_changes`` alone (the storage read), and the whole GraphQL execution; the best of
    ``repeats`` passes (the first also warms this process up)."""
    services = build_services(StorageSettings(db_path=str(db)), secret=JWT_SECRET)
    schema = build_schema()
    query = parse(document("pull_changes"))
    reads: list[float] = []
    executions: list[float] = []
    try:
        with server_like_gc():
            for _ in range(repeats):
                started = time.perf_counter()
                for cursor in cursors:
                    await pull_changes(
                        ServiceContext(services, Viewer(mentor_id)), cursor, PULL_LIMIT
                    )
                reads.append(time.perf_counter() - started)
                elapsed = 0.0
                for cursor in cursors:
                    ctx = ServiceContext(services, Viewer(mentor_id))
                    variables = {"cursor": cursor, "limit": PULL_LIMIT}
                    started = time.perf_counter()
                    result = execute(schema, query, variable_values=variables, context_value=ctx)
                    if isawaitable(result):
                        result = await result
                    elapsed += time.perf_counter() - started
                    assert isinstance(result, ExecutionResult) and not result.errors, result
                executions.append(elapsed)
    finally:
        await services.store.close()
    return min(reads), min(executions)


@contextlib.contextmanager
def server_like_gc() -> Iterator[None]:
    """The collector tuned as in the server process (``create_app_from_env``), so work done
    here on the server's behalf pays what it pays there, not this process's larger heap."""
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def pull_request(cursor: str | None) -> dict[str, Any]:
    return {"query": document("pull_changes"), "variables": {"cursor": cursor, "limit": PULL_LIMIT}}


async def warm_up_server(url: str, token: str) -> None:
    """Every page once, untimed, so the server's caches are as warm as on a server in use."""
    cursor: str | None = None
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        while True:
            response = await http.post(
                "/graphql", json=pull_request(cursor), headers={"Authorization": f"Bearer {token}"}
            )
            page = orjson.loads(response.content)["data"]["pullChanges"]
            if not page["hasMore"]:
                return
            cursor = page["cursor"]


async def raw_pulls(
    url: str, token: str, cursors: Sequence[str | None], repeats: int = 2
) -> tuple[float, list[bytes]]:
    """The same pulls with a bare httpx client that only reads the bytes (best of
    ``repeats`` passes)."""
    passes: list[float] = []
    bodies: list[bytes] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        await http.get("/health")  # the connection is open before timing, as for the engine
        for _ in range(repeats):
            bodies, elapsed = [], 0.0
            for cursor in cursors:
                started = time.perf_counter()
                response = await http.post("/graphql", json=pull_request(cursor), headers=headers)
                bodies.append(response.content)
                elapsed += time.perf_counter() - started
            passes.append(elapsed)
    return min(passes), bodies


def replay_pages(folder: Path, pages: Sequence[PullPage]) -> float:
    """``apply_pull_page`` of the same pages into an empty device file, one transaction each."""
    with DeviceStore(folder / "s2-replay.db") as store:
        started = time.perf_counter()
        for page in pages:
            with store.transaction(publish=False) as conn:
                apply_pull_page(conn, page, store.now())
        return time.perf_counter() - started


def raw_upsert(folder: Path, pages: Sequence[PullPage]) -> float:
    """The floor's write: sqlite3 upserting the same rows (as JSON text) in one transaction."""
    rows = [
        (
            c.entity.value,
            json.dumps(c.key, sort_keys=True),
            orjson.dumps(c.item).decode(),
            c.version,
        )
        for page in pages
        for c in page.changes
    ]
    conn = sqlite3.connect(folder / "s2-raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE items (entity TEXT, key_json TEXT, data TEXT, version INTEGER, "
        "PRIMARY KEY (entity, key_json)) WITHOUT ROWID"
    )
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO items VALUES (?, ?, ?, ?) ON CONFLICT (entity, key_json) DO UPDATE SET "
        "data = excluded.data, version = excluded.version WHERE excluded.version > version",
        rows,
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def parse_pages(bodies: Sequence[bytes]) -> tuple[float, float, list[PullPage]]:
    """Seconds for orjson to parse the response bytes and for turning them into PullPages
    (as ``GqlRemote`` does), and the pages."""
    started = time.perf_counter()
    parsed = [orjson.loads(body) for body in bodies]
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    pages = [PullPage.from_graphql(answer["data"]["pullChanges"]) for answer in parsed]
    return parse_s, time.perf_counter() - started, pages


async def measure_initial_sync(
    folder: Path, db: Path, url: str, world: dict[str, Any]
) -> list[Figure]:
    items, mentees = world["items"], world["mentees"]
    mentor = Account(world["mentor_email"], "", "")
    async with devices(folder, url) as make:
        runs: list[tuple[float, SyncReport, Device]] = []
        for attempt in range(E2E_RUNS):  # the machine is shared: the best of a few runs
            device: Device = await make("s2-mentor", mentor, poke=False)
            token = device.store.sync_state().access_token
            assert token is not None
            if attempt == 0:
                await warm_up_server(url, token)
            started = time.perf_counter()
            report = await device.sync()
            runs.append((time.perf_counter() - started, report, device))
        total, report, device = min(runs, key=lambda run: run[0])
        store = device.store
        arrived = len(store.query(Entity.GOAL)) + len(store.query(Entity.REFLECTION))
        if arrived != items:
            raise RuntimeError(f"the mentor's device holds {arrived} of {items} items")
        mentor_id = store.user_id()
        cursors = list(device.remote.cursors)
        engine_pull_s = sum(device.remote.pull_seconds)

    http_s, bodies = await raw_pulls(url, token, cursors)
    read_s, graphql_s = await in_process_pulls(db, mentor_id, cursors)
    parse_s, decode_s, pages = parse_pages(bodies)
    write_s = replay_pages(folder, pages)
    upsert_s = raw_upsert(folder, pages)
    floor = upsert_s + parse_s
    megabytes = sum(len(b) for b in bodies) / 1e6

    print(
        f"S2 initial sync, loopback: a mentor with {mentees:,} mentees, each sharing "
        f"{GOALS_PER_MENTEE} goals and {ITEMS_PER_MENTEE - GOALS_PER_MENTEE} daily reflections "
        f"(~{(ITEMS_PER_MENTEE - GOALS_PER_MENTEE) / 30:.0f} months of check-ins) = {items:,} items"
    )
    print(
        f"   end to end (empty device, SyncEngine.sync_now): {total:.2f} s "
        f"(best of {', '.join(f'{run[0]:.2f}' for run in runs)}) for {report.pulled:,} changes "
        f"in {report.pages} page(s) of <= {PULL_LIMIT:,} ({megabytes:.1f} MB)"
    )
    print("   where the time goes (each phase measured again on its own):")
    phases = [
        ("server: storage read (pull_changes, in-process)", read_s),
        ("server: GraphQL execution over it (in-process)", graphql_s - read_s),
        ("server: JSON encode + HTTP + transfer (raw httpx)", http_s - graphql_s),
        ("device: JSON parse (orjson)", parse_s),
        ("device: decode into PullPages", decode_s),
        ("device: local write (apply_pull_page)", write_s),
    ]
    for name, seconds in phases:
        print(f"     {name:<52}{seconds:>7.2f} s")
    rest = total - sum(s for _, s in phases)
    print(f"     {'rest (gql client, engine, checkpoint; by difference)':<52}{rest:>7.2f} s")
    print(
        f"     (the engine's own pull requests took {engine_pull_s:.2f} s in all; "
        f"the raw client's {http_s:.2f} s)"
    )
    print(
        f"   floor: raw sqlite3 upsert of {items:,} rows in one transaction {upsert_s:.2f} s "
        f"+ orjson parse {parse_s:.2f} s = {floor:.2f} s"
    )
    print(f"   ratio {total / floor:.1f}x the floor (goal: <= 5 s and within 4x)")
    met = total <= 5 and total <= 4 * floor
    return [
        Figure(
            "S2 sqlite", f"initial sync, {items:,} items", total, "s", floor, "<= 5 s, <= 4x", met
        )
    ]


# -- S3, S4, S5: against a running server -----------------------------------------------------


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


# -- the run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    writes: int
    items: int
    push: int
    trials: int
    quick: bool


def run_sqlite(folder: Path, cache: Path, sizes: Sizes) -> list[Figure]:
    db, world = seeded_world(cache, sizes.items, folder, settle=not sizes.quick)
    served = folder / "server.db"
    shutil.copyfile(db, served)  # the cache stays as it was seeded
    figures: list[Figure] = []
    with growlink_server(["--db", str(served)], folder / "server.log") as url:
        figures += asyncio.run(measure_initial_sync(folder, served, url, world))
        figures += asyncio.run(measure_push(folder, url, sizes.push, "sqlite"))
        figures += asyncio.run(measure_reconnect(folder, url, "sqlite"))
        figures += asyncio.run(measure_propagation(folder, url, sizes.trials))
    return figures


def run_dynamodb(folder: Path, sizes: Sizes) -> list[Figure]:
    print("DynamoDB engine on a moto server (an in-memory emulator, far slower than DynamoDB):")
    print("   S2 is not run here (seeding 50k items through moto takes many minutes)")
    with moto_server(folder) as moto:
        storage = dynamodb_storage(moto.url)
        with growlink_server(storage, folder / "server-dynamodb.log") as url:
            figures = asyncio.run(measure_push(folder, url, sizes.push, "dynamodb", moto.calls))
            figures += asyncio.run(measure_reconnect(folder, url, "dynamodb"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--items", type=int, help="S2 items (default 50,000; 2,000 with --quick)")
    parser.add_argument("--engine", choices=["sqlite", "dynamodb", "both"], default="both")
    parser.add_argument(
        "--cache", type=Path, default=ROOT / "bench" / ".cache", help="seeded server files"
    )
    args = parser.parse_args()
    sizes = (
        Sizes(writes=600, items=args.items or 2_000, push=600, trials=3, quick=True)
        if args.quick
        else Sizes(writes=5_000, items=args.items or 50_000, push=1_000, trials=20, quick=False)
    )
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="growlink-bench-sync-") as tmp:
        folder = Path(tmp)
        figures += measure_local_writes(folder, sizes.writes)
        if args.engine in ("sqlite", "both"):
            figures += run_sqlite(folder, args.cache, sizes)
        if args.engine in ("dynamodb", "both"):
            figures += run_dynamodb(folder, sizes)
    print_summary(figures)


if __name__ == "__main__":
    main()
