"""``growlink sync`` without a server: status of a device file and the refusals."""

from __future__ import annotations

import subprocess
import sys

from app.cli import main
from sync.wire import SyncErrorInfo
from tests.sync.signed_in import signed_in


def test_version_still_prints():
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.startswith("growlink ")


async def test_status_lists_pending_changes_and_open_issues(device, server, tmp_path, capsys):
    engine = device("cli")
    server.rule = lambda change, current: (
        SyncErrorInfo("BAD_USER_INPUT", "a habit takes 1 to 2 minutes", "duration")
        if change.entity == "HABIT"
        else None
    )
    goal = engine.store.create_goal("Run")
    engine.store.put("HABIT", {"habitId": "h1"}, {"goalId": goal["goalId"], "duration": 5})
    await engine.sync_now()
    engine.store.create_todo("offline")
    path = engine.store.path
    engine.store.close()
    assert main(["sync", "--status", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "status: Needs attention (1)" in out
    assert "pending changes: 1" in out
    assert "open issues: 1" in out
    assert "HABIT habitId=h1: BAD_USER_INPUT (duration) a habit takes 1 to 2 minutes" in out


def test_sync_needs_a_server_and_a_signed_in_user(open_store, capsys):
    fresh = open_store("fresh", sign_in=False)
    fresh.close()
    assert main(["sync", "--db", str(fresh.path)]) == 2
    assert "give --server" in capsys.readouterr().out
    assert main(["sync", "--db", str(fresh.path), "--server", "http://127.0.0.1:9"]) == 2
    assert "not signed in" in capsys.readouterr().out


def test_an_unreachable_server_keeps_the_changes_and_says_so(open_store, capsys):
    store = signed_in(open_store("offline"))
    store.create_todo("kept")
    store.close()
    code = main(["sync", "--db", str(store.path), "--server", "http://127.0.0.1:9"])
    out = capsys.readouterr().out
    assert code == 1
    assert "pushed: 0  pulled: 0  merged: 0  rejected: 0" in out
    assert "status: Offline · 1 pending" in out and "offline or server busy" in out
