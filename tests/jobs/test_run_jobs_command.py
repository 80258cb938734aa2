"""``growlink-server run-jobs --now``: one pass, then the next run finds nothing left to send.

The command runs its own event loop, so the async test runs it in a thread."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from backend.cli import main
from backend.storage.tables import Table
from tests.api.asgi import Api
from tests.api.mentorship_world import confirmed


def storage_args(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> list[str]:
    """The options that open the test's own store (the ``store`` fixture's file or tables)."""
    if engine_name == "sqlite":
        return ["--db", str(tmp_path / "store.db")]
    url = request.getfixturevalue("dynamodb_server").url
    return ["--engine", "dynamodb", "--endpoint-url", url, "--table-prefix", "test-"]


async def test_run_jobs_twice_sends_the_24h_reminder_once(
    api: Api,
    engine_name: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mentor = await api.sign_up("Maya", role="MENTOR")
    mentee = await api.sign_up("Ana")
    await confirmed(api, mentee, mentor)  # 2026-11-26 14:00 UTC
    storage = storage_args(engine_name, tmp_path, request)
    assert (
        await asyncio.to_thread(main, ["run-jobs", *storage, "--now", "2026-11-25T14:30:00Z"]) == 0
    )
    assert (
        await asyncio.to_thread(main, ["run-jobs", *storage, "--now", "2026-11-25T14:31:00Z"]) == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert [line.split() for line in out if line.startswith("session_reminders")] == [
        ["session_reminders", "1", "sent"],
        ["session_reminders", "0", "sent"],
    ]
    items = (await api.store.query(Table.NOTIFICATIONS, mentee.id)).items
    assert [n["title"] for n in items if n["type"] == "session_reminder"] == ["Session in 24 hours"]
