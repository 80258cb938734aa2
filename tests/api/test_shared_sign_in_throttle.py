"""Two ``serve`` processes on one SQLite file enforce one sign-in limit: the failure counts
live in storage, not in either process (issue 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from harness.accounts import PASSWORD, sign_up_blocking

SIGN_IN = "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }"


def sign_in_error(url: str, email: str, password: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{url}/graphql", json={"query": SIGN_IN, "variables": {"e": email, "p": password}}
    ).json()
    (error,) = answer["errors"]
    return dict(error["extensions"])


def test_two_server_processes_on_one_database_enforce_one_limit(
    server_process: Any, tmp_path: Path
) -> None:
    db = tmp_path / "server.db"
    first = server_process(db, log=tmp_path / "first.log")
    second = server_process(db, log=tmp_path / "second.log")
    email = sign_up_blocking(first.url).email
    for n in range(10):  # five wrong guesses on each: ten in all, the account's limit
        url = (first.url, second.url)[n % 2]
        assert sign_in_error(url, email, f"wrong guess {n}")["code"] == "UNAUTHENTICATED"
    for url in (first.url, second.url):
        refusal = sign_in_error(url, email, PASSWORD)
        assert refusal["code"] == "TOO_MANY_REQUESTS"
        assert 0 < refusal["retryAfter"] <= 15 * 60
    first.stop()
    second.stop()
