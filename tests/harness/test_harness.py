"""The harness itself: a child that dies says why, a server comes back on its port with its
data, and a refused sign-up is an error rather than an account."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.accounts import SignUpRefused, sign_up_blocking
from harness.processes import ChildProcess, ProcessDidNotStart


def test_a_child_that_exits_before_it_is_ready_raises_with_its_log(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "print('no database here'); raise SystemExit(3)"]
    child = ChildProcess(command, log=tmp_path / "child.log", ready=lambda: False)
    with pytest.raises(ProcessDidNotStart, match="no database here"):
        child.start()
    assert not child.running


def test_a_killed_server_restarts_on_its_port_with_its_data(
    tmp_path: Path, server_process: Any
) -> None:
    server = server_process(tmp_path / "server.db")
    account = sign_up_blocking(server.url, name="kept")
    port = server.port
    server.kill()
    assert not server.running
    server.start()
    assert server.port == port
    with pytest.raises(SignUpRefused, match="kept@example.com"):
        sign_up_blocking(server.url, name="kept")  # the first account survived the kill
    me = httpx.post(
        f"{server.url}/graphql",
        json={"query": "{ me { userId } }"},
        headers={"Authorization": f"Bearer {account.token}"},
        timeout=30,
    ).json()
    assert me["data"]["me"]["userId"] == account.user_id
    server.stop()
    assert not server.running
    assert server.db.with_name("server.db.log").is_file()
