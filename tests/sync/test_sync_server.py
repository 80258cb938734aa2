"""The device engine against the REAL server: `python -m backend.cli serve` in a subprocess on
127.0.0.1 (on each storage engine), spoken to over HTTP (and a websocket for pokes) exactly as
the app does."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.accounts import PASSWORD
from sync import DeviceStore, GqlRemote
from sync.entities import Entity
from sync.errors import RetryableError
from sync.wire import ChangeIn, PushPayload
from tests.sync.real_server import Device, sign_up


@pytest.fixture(scope="module")
def server_url(
    engine_name: str,
    tmp_path_factory: pytest.TempPathFactory,
    server_process: Any,
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """The server on each storage engine (a SQLite file; DynamoDB on DynamoDB Local)."""
    dynamodb = request.getfixturevalue("servers_dynamodb") if engine_name == "dynamodb" else None
    process = server_process(tmp_path_factory.mktemp("server") / "server.db", dynamodb=dynamodb)
    yield process.url
    process.stop()


@pytest.fixture
async def devices(tmp_path: Path, server_url: str):
    made: list[Device] = []

    async def make(email: str, name: str, **options: Any) -> Device:
        device = Device(tmp_path / f"{name}.db", server_url, **options)
        made.append(device)
        return await device.sign_in(email)

    yield make
    for device in made:
        await device.close()


def today() -> str:
    return datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize("first", ["a", "b"])
async def test_two_devices_edit_offline_and_end_identical_in_either_order(
    devices, server_url, first
):
    email = sign_up(server_url)
    a, b = await devices(email, "a"), await devices(email, "b")
    goal = a.store.create_goal("Become a runner", identity="runner")
    habit = a.store.create_habit(goal["goalId"], "Shoes on", frequency="daily", duration=1)
    shared = a.store.create_todo("plan the week")
    await a.sync()
    await b.sync()
    assert b.store.get(Entity.HABIT, {"habitId": habit["habitId"]}) is not None

    # offline on both: overlapping edits, the same natural key on both sides
    a.store.complete_habit(habit["habitId"], today(), notes="before work")
    a.store.patch(
        Entity.TODO,
        {"userId": shared["userId"], "todoId": shared["todoId"]},
        {"text": "plan the week (and the month)"},
    )
    a.store.create_todo("only on a")
    b.store.complete_habit(habit["habitId"], today(), evidence="https://example.com/run")
    b.store.toggle_todo(shared["todoId"])
    b.store.write_reflection(today(), "GOOD", text="steady")
    b.store.create_todo("only on b")

    order = [a, b] if first == "a" else [b, a]
    for device in (*order, order[0]):
        await device.sync()

    assert a.rows() == b.rows()
    [completion] = a.store.query(Entity.HABIT_COMPLETION)
    assert completion["completed"] is True
    assert (completion["notes"], completion["evidence"]) == (
        "before work",
        "https://example.com/run",
    )
    todo = a.store.get(Entity.TODO, {"userId": shared["userId"], "todoId": shared["todoId"]})
    assert (todo["text"], todo["done"]) == ("plan the week (and the month)", True)
    assert len(a.store.query(Entity.TODO)) == 3
    assert a.store.status().label == b.store.status().label == "Synced"


class LosesTheFirstAnswer:
    """The real server commits the push; its answer never reaches the device."""

    def __init__(self, remote: GqlRemote) -> None:
        self.remote = remote
        self.lost = False
        self.sent: list[list[int]] = []

    async def push(self, client_id: str, changes: Sequence[ChangeIn], *, token: str) -> PushPayload:
        self.sent.append([c.mutation_id for c in changes])
        payload = await self.remote.push(client_id, changes, token=token)
        if not self.lost:
            self.lost = True
            raise RetryableError("connection reset after the server committed")
        return payload

    def __getattr__(self, name: str) -> Any:
        return getattr(self.remote, name)


async def test_a_lost_answer_is_retried_with_the_same_ids_and_nothing_is_doubled(
    devices, server_url, tmp_path
):
    email = sign_up(server_url)
    faulty = LosesTheFirstAnswer(GqlRemote(server_url))
    device = await devices(email, "flaky", remote=faulty)
    for n in range(3):
        device.store.create_todo(f"todo {n}")
    goal = device.store.create_goal("g")
    habit = device.store.create_habit(goal["goalId"], "h", duration=1)
    device.store.complete_habit(habit["habitId"], today())
    first = await device.engine.sync_now()
    assert first.retry and device.store.pending() == 6
    second = await device.sync()
    assert faulty.sent == [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]
    assert second.duplicate == 6 and device.store.pending() == 0
    other = await devices(email, "witness")
    await other.sync()
    assert len(other.store.query(Entity.TODO)) == 3
    assert all(t["_version"] == 1 for t in other.store.query(Entity.TODO))
    assert other.rows() == device.rows()
    await faulty.remote.aclose()


async def test_a_rejected_change_rolls_back_and_every_device_sees_the_issue(devices, server_url):
    email = sign_up(server_url)
    a, b = await devices(email, "a"), await devices(email, "b")
    goal = a.store.create_goal("g")
    await a.sync()
    a.store.put(
        Entity.HABIT,
        {"habitId": str(uuid.uuid4())},
        {"goalId": goal["goalId"], "title": "too long", "frequency": "daily", "duration": 5},
    )
    report = await a.sync()
    assert report.rejected == 1
    assert a.store.query(Entity.HABIT) == []
    [issue] = a.store.issues()
    assert (issue.code, issue.field) == ("BAD_USER_INPUT", "duration")
    assert a.store.status().label == "Needs attention (1)"
    await b.sync()
    assert [i.issue_id for i in b.store.issues()] == [issue.issue_id]
    a.store.resolve_issue(issue.issue_id, "DISMISS")
    assert (await a.sync()).resolutions_sent == 1
    await b.sync()
    assert b.store.issues() == [] and b.store.issue(issue.issue_id).status == "DISMISSED"
    assert b.store.status().label == "Synced"


async def test_a_reflection_text_clash_is_kept_as_an_issue_and_keep_mine_wins_everywhere(
    devices, server_url
):
    email = sign_up(server_url)
    a, b = await devices(email, "a"), await devices(email, "b")
    a.store.write_reflection(today(), "GOOD", text="first draft")
    await a.sync()
    await b.sync()
    a.store.write_reflection(today(), text="a's version")
    b.store.write_reflection(today(), text="b's version")
    await a.sync()
    report = await b.sync()
    assert report.conflict == 1
    key = {"userId": b.store.user_id(), "date": today()}
    assert b.store.get(Entity.REFLECTION, key)["text"] == "a's version"
    [issue] = b.store.issues()
    assert issue.mine == {"text": "b's version"}
    b.store.resolve_issue(issue.issue_id, "KEEP_MINE")
    await b.sync()
    await a.sync()
    assert a.store.get(Entity.REFLECTION, key)["text"] == "b's version"
    assert a.rows() == b.rows()
    assert a.store.issues() == b.store.issues() == []


async def test_a_poke_brings_another_devices_change_before_any_poll(devices, server_url):
    """The listener polls every 600 s: seeing the change at all within the wait is the poke's
    doing (no latency is asserted here: bench/sync.py measures it, S5)."""
    email = sign_up(server_url)
    writer = await devices(email, "writer")
    listener = await devices(email, "listener", poke=True, interval=600, poll_without_poke=600)
    listener.engine.start()
    for _ in range(50):  # the first sync and the websocket
        if listener.engine._poke is not None and listener.engine._poke.connected:
            break
        await asyncio.sleep(0.1)
    assert listener.engine._poke is not None and listener.engine._poke.connected
    await asyncio.sleep(0.2)  # let the start-up sync finish
    todo = writer.store.create_todo("seen elsewhere at once")
    started = time.monotonic()
    await writer.sync()
    key = {"userId": todo["userId"], "todoId": todo["todoId"]}
    while listener.store.get(Entity.TODO, key) is None and time.monotonic() - started < 60:
        await asyncio.sleep(0.05)
    assert listener.store.get(Entity.TODO, key) is not None


async def test_a_device_clock_a_day_off_syncs_normally_and_is_told(server_url, tmp_path):
    from datetime import timedelta

    from domain.clock import FixedClock

    email = sign_up(server_url)
    device = Device(tmp_path / "late.db", server_url)
    device.store.clock = FixedClock(datetime.now(UTC) - timedelta(days=1))
    try:
        await device.sign_in(email)
        device.store.create_todo("written yesterday, says my clock")
        report = await device.sync()
        assert report.applied == 1 and device.store.pending() == 0
        assert report.clock_skew_seconds is not None and report.clock_skew_seconds < -86000
        assert device.store.status().clock_warning == (
            "This device's clock is 1440 minutes behind the server's."
        )
    finally:
        await device.close()


def test_the_cli_signs_in_syncs_and_reports(server_url, tmp_path):
    email = sign_up(server_url)
    db = tmp_path / "cli.db"

    def growlink(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    first = growlink(
        "sync", "--server", server_url, "--db", str(db), "--email", email, "--password", PASSWORD
    )
    assert "status: Synced" in first
    with DeviceStore(db) as store:
        store.create_todo("from the command line")
        store.create_todo("and another")
    assert "pending changes: 2" in growlink("sync", "--status", "--db", str(db))
    second = growlink("sync", "--db", str(db))  # the stored server and token
    assert "pushed: 2  pulled: 2  merged: 0  rejected: 0" in second
    assert "pending changes: 0" in growlink("sync", "--status", "--db", str(db))


async def test_a_new_item_looks_the_same_on_its_writer_and_on_a_new_device(devices, server_url):
    """A reflection created without text: the push result and the feed entry carried its
    empty optional fields as nulls, the initial sync (the stored item) without them, so the
    writer's row and a new device's row differed (found by tests/faults/test_property.py)."""
    email = sign_up(server_url)
    writer = await devices(email, "writer")
    writer.store.write_reflection(today(), "GOOD")
    await writer.sync()
    witness = await devices(email, "witness")
    await witness.sync()
    assert writer.rows()["REFLECTION"] == witness.rows()["REFLECTION"]
    assert "text" not in witness.rows()["REFLECTION"][0]


def update_profile(server_url: str, device: Device, **fields: str) -> None:
    record = device.store.sync_state()
    answer = httpx.post(
        f"{server_url}/graphql",
        json={
            "query": "mutation($u: ID!, $i: UpdateUserInput!) "
            "{ updateUserProfile(userId: $u, input: $i) { userId } }",
            "variables": {"u": record.user_id, "i": fields},
        },
        headers={"Authorization": f"Bearer {record.access_token}"},
        timeout=30,
    ).json()
    assert "errors" not in answer, answer


async def test_mentors_public_profiles_reach_their_mentees_devices_and_nothing_more(
    devices, server_url
):
    """The mentors of my goals and sessions arrive as USER rows with only the public fields,
    at pairing, on a public change and in a new device's snapshot."""
    zoe = await devices(sign_up(server_url, role="MENTOR"), "zoe")
    carl = await devices(sign_up(server_url, role="MENTOR"), "carl")
    update_profile(server_url, zoe, bio="Marathoner", avatar="https://x.test/z.png")
    zoe_id, carl_id = zoe.store.user_id(), carl.store.user_id()
    mentee_email = sign_up(server_url)
    ana = await devices(mentee_email, "ana")
    await ana.sync()
    assert ana.store.get(Entity.USER, {"userId": zoe_id}) is None  # not her mentor yet

    ana.store.create_goal("Run a 10k", mentor_id=zoe_id)
    tomorrow = datetime.fromtimestamp(time.time() + 86_400, UTC).date().isoformat()
    ana.store.request_session(
        carl_id,
        type="virtual",
        date=tomorrow,
        time="14:00",
        duration=60,
        meeting_link="https://meet.example/ana",
    )
    await ana.sync()
    profile = ana.store.get(Entity.USER, {"userId": zoe_id})
    assert profile is not None
    assert {k for k in profile if not k.startswith("_")} == {
        "userId",
        "name",
        "avatar",
        "bio",
        "rating",
    }
    assert (profile["bio"], profile["avatar"], profile["rating"]) == (
        "Marathoner",
        "https://x.test/z.png",
        0.0,
    )
    assert ana.store.issues() == []
    assert ana.store.get(Entity.USER, {"userId": carl_id}) is not None  # via the session

    update_profile(server_url, zoe, location="Porto", timeZone="Europe/Lisbon")  # private
    update_profile(server_url, zoe, bio="Coach")
    await ana.sync()
    changed = ana.store.get(Entity.USER, {"userId": zoe_id})
    assert changed is not None and changed["bio"] == "Coach"
    assert not {"email", "location", "timeZone", "role"} & set(changed)

    fresh = await devices(mentee_email, "ana-2")
    await fresh.sync()
    assert fresh.store.get(Entity.USER, {"userId": zoe_id}) == {**changed, "_pending": False}
    stranger = await devices(sign_up(server_url), "stranger")
    await stranger.sync()
    assert stranger.store.get(Entity.USER, {"userId": zoe_id}) is None


class SentNoting:
    """The real ``GqlRemote``, noting when each pull request went out and was answered."""

    def __init__(self, remote: GqlRemote) -> None:
        self.remote = remote
        self.events: list[tuple[str, str | None]] = []

    async def pull(self, cursor: str | None, limit: int, *, token: str, sent: Any = None) -> Any:
        def went_out() -> None:
            self.events.append(("sent", cursor))
            if sent is not None:
                sent()

        page = await self.remote.pull(cursor, limit, token=token, sent=went_out)
        self.events.append(("answered", cursor))
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self.remote, name)


async def test_an_initial_sync_in_small_pages_requested_ahead_over_http(devices, server_url):
    email = sign_up(server_url)
    writer = await devices(email, "writer")
    for n in range(5):
        writer.store.create_todo(f"todo {n}")
    await writer.sync()
    witness = (await devices(email, "witness", pull_limit=2)).sign_in_like(writer)
    noting = SentNoting(witness.http)
    witness.engine.remote = noting
    report = await witness.sync()
    assert report.pages >= 3 and witness.rows() == writer.rows()
    assert len(noting.events) == 2 * report.pages
    for n in range(0, len(noting.events), 2):  # each request was on its way before its answer
        assert noting.events[n][0] == "sent" and noting.events[n + 1][0] == "answered"
        assert noting.events[n][1] == noting.events[n + 1][1]
