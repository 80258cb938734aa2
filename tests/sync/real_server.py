"""Devices against the REAL server over HTTP: a new user per test and ``Device`` (a device
file plus its engine), shared by the sync integration and fault tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domain.clock import Clock
from harness.accounts import PASSWORD, sign_up_blocking
from sync import DeviceStore, GqlRemote, SyncEngine, SyncReport
from sync.entities import Entity
from sync.wire import AuthSession

SYNCED = (
    Entity.GOAL,
    Entity.HABIT,
    Entity.HABIT_COMPLETION,
    Entity.REFLECTION,
    Entity.TODO,
    Entity.USER,
)


def sign_up(url: str, role: str = "MENTEE") -> str:
    """A new user (time zone UTC) on the server at ``url``; returns their email."""
    return sign_up_blocking(url, role=role).email


class Device:
    """A device file + engine signed in to the real server (or to a proxy in front of it)."""

    def __init__(
        self,
        path: Path,
        url: str,
        remote: Any = None,
        *,
        clock: Clock | None = None,
        **options: Any,
    ) -> None:
        self.path = path
        self.store = DeviceStore(path, clock=clock)
        self.http = GqlRemote(url)
        self.engine = SyncEngine(self.store, remote or self.http, server_url=url, **options)

    async def sign_in(self, email: str) -> Device:
        await self.engine.sign_in(email, PASSWORD)
        return self

    def sign_in_like(self, other: Device) -> Device:
        """Take ``other``'s session (the same user, another device) instead of signing in:
        it spares the server a password check (~0.25 s of argon2)."""
        record = other.store.sync_state()
        assert record.access_token and record.refresh_token and record.user_id
        session = AuthSession(record.access_token, record.refresh_token, record.user_id)
        self.store.adopt_session(self.engine.server_url or "", session)
        return self

    async def sync(self) -> SyncReport:
        report = await self.engine.sync_now()
        assert report.error is None, report
        return report

    async def sync_until_quiet(self, attempts: int = 20) -> list[SyncReport]:
        """Sync until a sync ends cleanly with nothing pending (faults make some fail)."""
        reports = []
        for _ in range(attempts):
            report = await self.engine.sync_now()
            reports.append(report)
            if report.error is None and self.store.pending() == 0:
                return reports
            assert report.retry, f"a sync failed for good: {report}"
        raise AssertionError(f"still not synced after {attempts} syncs: {reports[-1]}")

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        return {
            entity.value: [
                {k: v for k, v in row.items() if k != "_pending"}
                for row in self.store.query(entity)
            ]
            for entity in SYNCED
        }

    async def close(self) -> None:
        await self.engine.stop()
        await self.http.aclose()
        self.store.close()
