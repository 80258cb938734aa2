"""The server the sync benchmark drives and the devices it drives it with: real
``DeviceStore`` files and ``SyncEngine``s whose ``GqlRemote`` is metered."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from harness.accounts import PASSWORD, Account, sign_up
from harness.processes import MotoServer, ServerProcess
from sync import DeviceStore, GqlRemote, SyncEngine, SyncReport
from sync.wire import AuthSession, ChangeIn, PullPage, PushPayload

JWT_SECRET = "bench-" + "x" * 42


def bench_server(db: Path, log: Path, dynamodb: MotoServer | None = None) -> ServerProcess:
    """``growlink-server serve`` on ``db`` (or on ``dynamodb``), signing with ``JWT_SECRET``."""
    env = {"GROWLINK_JWT_SECRET": JWT_SECRET}
    return ServerProcess(db, dynamodb=dynamodb, env=env, log=log)


async def new_account(url: str, role: str = "MENTEE") -> Account:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        return await sign_up(http, role=role)


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

    async def pull(
        self,
        cursor: str | None,
        limit: int,
        *,
        token: str,
        sent: Callable[[], None] | None = None,
    ) -> PullPage:
        started = time.perf_counter()
        page = await self.remote.pull(cursor, limit, token=token, sent=sent)
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
