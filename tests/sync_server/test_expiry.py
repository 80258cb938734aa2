"""Tombstones and feed entries really expire on a SQLite server: the purge job of the real
server process (``GROWLINK_PURGE_INTERVAL_SECONDS``) deletes them once their TTL has passed."""

from __future__ import annotations

import json
import sqlite3
import time

import httpx

from harness.accounts import PASSWORD
from tests.sync.real_server import sign_up


def graphql(url: str, query: str, token: str | None = None, **variables: object) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables}, headers=headers
    ).json()
    assert "errors" not in answer, answer
    return answer["data"]


def todo_ids(db) -> dict[str, bool]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT item FROM Todos").fetchall()
    return {json.loads(r[0])["todoId"]: bool(json.loads(r[0]).get("_deleted")) for r in rows}


def feed_size(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM ChangeFeed").fetchone()[0]


def test_the_server_purges_expired_tombstones_and_feed_entries(tmp_path, server_process):
    db = tmp_path / "server.db"
    server = server_process(
        db, env={"GROWLINK_SYNC_TTL_DAYS": str(3 / 86400), "GROWLINK_PURGE_INTERVAL_SECONDS": "0.5"}
    )
    email = sign_up(server.url)
    signed_in = (
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }"
    )
    token = graphql(server.url, signed_in, e=email, p=PASSWORD)["signIn"]["accessToken"]
    create = "mutation($t: String!) { createTodo(input: {text: $t}) { todoId } }"
    kept = graphql(server.url, create, token, t="kept")["createTodo"]["todoId"]
    gone = graphql(server.url, create, token, t="deleted")["createTodo"]["todoId"]
    graphql(server.url, "mutation($i: ID!) { deleteTodo(todoId: $i) { todoId } }", token, i=gone)
    assert todo_ids(db) == {kept: False, gone: True} and feed_size(db) >= 4

    deadline = time.monotonic() + 15
    while (todo_ids(db) != {kept: False} or feed_size(db)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert todo_ids(db) == {kept: False}  # the live todo stays; the tombstone went
    assert feed_size(db) == 0  # every entry was older than the TTL
    server.stop()
