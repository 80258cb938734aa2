"""The sync operations (push, pull, issues) as a device sends them, over the real ASGI app
(``tests.api.asgi``) on both storage engines, and readers of what the server stored."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from tests.api.asgi import Api, Person

PUSH = """mutation($input: PushChangesInput!) {
  pushChanges(input: $input) {
    lastMutationId
    results { mutationId status entity key version item issueId
              error { code message field retryable } }
  }
}"""

PULL = """query($cursor: String, $limit: Int) {
  pullChanges(cursor: $cursor, limit: $limit) {
    changes { seq entity key version deleted item }
    cursor hasMore resetRequired
  }
}"""

ISSUES = """query($status: String) {
  listSyncIssues(status: $status) {
    issueId entity key code message field mine theirs status createdAt updatedAt
  }
}"""

RESOLVE = """mutation($id: ID!, $r: String!) {
  resolveSyncIssue(issueId: $id, resolution: $r) { issueId status mine theirs }
}"""


def new_id() -> str:
    return str(uuid.uuid4())


class Device:
    """One install of the app: a clientId and its own mutation ids, signed in as ``person``."""

    def __init__(self, app: Api, person: Person) -> None:
        self.api = app
        self.person = person
        self.client_id = new_id()
        self._ids = itertools.count(1)

    def change(
        self,
        entity: str,
        key: dict[str, Any],
        op: str = "PUT",
        fields: dict[str, Any] | None = None,
        base: int | None = None,
        mutation_id: int | None = None,
    ) -> dict[str, Any]:
        return {
            "mutationId": mutation_id if mutation_id is not None else next(self._ids),
            "entity": entity,
            "key": key,
            "op": op,
            "baseVersion": base,
            "fields": fields,
        }

    async def push(self, *changes: dict[str, Any]) -> dict[str, Any]:
        data = await self.api.data(
            PUSH, {"input": {"clientId": self.client_id, "changes": list(changes)}}, as_=self.person
        )
        payload: dict[str, Any] = data["pushChanges"]
        return payload

    async def push_one(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        result: dict[str, Any] = (await self.push(self.change(*args, **kwargs)))["results"][0]
        return result

    async def push_error(self, *changes: dict[str, Any]) -> dict[str, Any]:
        return await self.api.error(
            PUSH, {"input": {"clientId": self.client_id, "changes": list(changes)}}, as_=self.person
        )


async def pull(app: Api, person: Person, cursor: str | None = None, limit: int | None = None):
    data = await app.data(PULL, {"cursor": cursor, "limit": limit}, as_=person)
    return data["pullChanges"]


async def pull_all(app: Api, person: Person, cursor: str | None = None, limit: int | None = None):
    """Every page until ``hasMore`` is false: (changes, final cursor, number of requests)."""
    changes: list[dict[str, Any]] = []
    requests = 0
    while True:
        page = await pull(app, person, cursor, limit)
        requests += 1
        assert not page["resetRequired"]
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["hasMore"]:
            return changes, cursor, requests


def latest(changes: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest change per (entity, key), as a device would keep them."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        ident = (change["entity"], str(sorted(change["key"].items())))
        if ident not in out or change["version"] >= out[ident]["version"]:
            out[ident] = change
    return out


async def feed_of(app: Api, feed_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await app.store.query("ChangeFeed", feed_id, limit=1000, cursor=cursor)
        items += page.items
        cursor = page.cursor
        if cursor is None:
            return items
