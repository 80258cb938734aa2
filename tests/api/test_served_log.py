"""``serve --log-level info`` shows an expected error as its one line with the code, and no
traceback (issue 10, finding 10): the ``growlink`` loggers go to the server's output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from harness.accounts import sign_up_blocking


def test_an_expected_error_is_one_line_in_the_served_log(server_process: Any, tmp_path: Path):
    log = tmp_path / "server.log"
    server = server_process(tmp_path / "server.db", log=log, options=["--log-level", "info"])
    mentee = sign_up_blocking(server.url)
    answer = httpx.post(
        f"{server.url}/graphql",
        json={"query": '{ getUserByEmail(email: "someone@example.com") { userId } }'},
        headers={"Authorization": f"Bearer {mentee.token}"},
    ).json()
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    server.stop()
    lines = [line for line in log.read_text().splitlines() if "FORBIDDEN" in line]
    assert len(lines) == 1 and "getUserByEmail" in lines[0], log.read_text()
    assert "Traceback" not in log.read_text()
