"""A push batch larger than the server's body limit is split by its size in bytes: the server
answers 413 with PAYLOAD_TOO_LARGE and its limit, the device sends batches that fit it, and
every change arrives once, in order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sync import GqlRemote
from sync.entities import Entity
from sync.errors import PayloadTooLarge
from sync.wire import ChangeIn, PushPayload
from tests.sync.real_server import Device, sign_up

BODY_LIMIT = 8_000


class CountsBatches:
    """The real remote, remembering how many changes each push carried, their mutation ids
    and whether the server refused it as too large."""

    def __init__(self, remote: GqlRemote) -> None:
        self.remote = remote
        self.sizes: list[int] = []
        self.sent_ids: list[int] = []
        self.refused = 0

    async def push(self, client_id: str, changes: Sequence[ChangeIn], *, token: str) -> PushPayload:
        self.sizes.append(len(changes))
        try:
            payload = await self.remote.push(client_id, changes, token=token)
        except PayloadTooLarge:
            self.refused += 1
            raise
        self.sent_ids += [c.mutation_id for c in changes]
        return payload

    def __getattr__(self, name: str) -> Any:
        return getattr(self.remote, name)


@pytest.fixture(scope="module")
def small_body_server(tmp_path_factory: pytest.TempPathFactory, server_process: Any) -> Any:
    process = server_process(
        tmp_path_factory.mktemp("small") / "server.db",
        env={"GROWLINK_MAX_BODY_BYTES": str(BODY_LIMIT)},
    )
    yield process.url
    process.stop()


async def counted_device(url: str, path: Path) -> tuple[str, Device, CountsBatches]:
    """A new user's device whose pushes are counted: (email, device, counts)."""
    email = sign_up(url)
    counting = CountsBatches(GqlRemote(url))
    device = Device(path, url, remote=counting)
    await device.sign_in(email)
    return email, device, counting


async def test_a_batch_too_large_is_cut_to_the_servers_limit_in_bytes(
    small_body_server: str, tmp_path: Path
) -> None:
    email, device, counting = await counted_device(small_body_server, tmp_path / "d.db")
    for n in range(60):
        device.store.create_todo(f"todo {n:02d} " + "x" * 150)
    report = await device.sync()
    assert report.error is None and device.store.pending() == 0
    assert counting.sizes[0] == 60 and max(counting.sizes[1:]) < 60
    assert counting.refused == 1  # sized to the limit the 413 gave, not halved and retried
    assert counting.sent_ids == list(range(1, 61))  # each once, in order
    assert device.engine.push_budget_bytes is not None
    assert device.engine.push_budget_bytes < BODY_LIMIT
    witness = Device(tmp_path / "w.db", small_body_server)
    await witness.sign_in(email)
    await witness.sync()
    assert len(witness.store.query(Entity.TODO)) == 60
    await counting.remote.aclose()
    await device.close()
    await witness.close()


async def test_small_and_large_changes_are_split_by_bytes_not_by_count(
    small_body_server: str, tmp_path: Path
) -> None:
    _, device, counting = await counted_device(small_body_server, tmp_path / "d.db")
    for n in range(10):
        device.store.create_todo(f"small {n}")
    device.store.write_reflection("2026-11-20", "GOOD", text="L" * (BODY_LIMIT - 2500))
    for n in range(10, 20):
        device.store.create_todo(f"small {n}")
    assert (await device.sync()).error is None and device.store.pending() == 0
    assert counting.refused == 1 and counting.sizes == [21, 10, 1, 10]
    assert counting.sent_ids == list(range(1, 22))
    assert device.store.issues() == []  # it fits alone, so nothing was too large to send
    await counting.remote.aclose()
    await device.close()


async def test_one_change_too_large_for_any_batch_becomes_an_issue_and_the_rest_go(
    small_body_server: str, tmp_path: Path
) -> None:
    email = sign_up(small_body_server)
    device = Device(tmp_path / "d.db", small_body_server)
    await device.sign_in(email)
    device.store.create_todo("before it")
    huge = device.store.create_todo("y" * (BODY_LIMIT + 1000))
    device.store.create_todo("after it")
    report = await device.sync()
    assert report.error is None and device.store.pending() == 0  # the queue moved on
    (issue,) = device.store.issues()
    assert issue.code == "PAYLOAD_TOO_LARGE" and "larger than the server accepts" in issue.message
    assert issue.mine is not None and issue.mine["text"] == huge["text"]  # nothing is lost
    key = {"userId": huge["userId"], "todoId": huge["todoId"]}
    assert device.store.get(Entity.TODO, key) is None  # rolled back, as a rejection is
    device.store.create_todo("later")
    assert (await device.sync()).error is None and device.store.pending() == 0
    witness = Device(tmp_path / "w.db", small_body_server)
    await witness.sign_in(email)
    await witness.sync()
    texts = sorted(t["text"] for t in witness.store.query(Entity.TODO))
    assert texts == ["after it", "before it", "later"]
    await device.close()
    await witness.close()
