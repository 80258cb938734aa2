"""An in-memory double of the server's sync rules, for the engine's UNIT tests only.

It keeps items with ``_version``, a change feed with gap-free ``seq``, and a last mutation id
per client; it answers DUPLICATE / MUTATION_GAP like the protocol says, and lets a test
inject faults (lost answers, lost requests, partial batches, resets, refused tokens,
rejections). The integration tests run against the real server instead.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync.entities import Entity, Op
from sync.errors import AuthError, FatalError, RetryableError
from sync.keys import canonical_key
from sync.wire import (
    AuthSession,
    ChangeIn,
    ChangeResult,
    ChangeStatus,
    PulledChange,
    PullPage,
    PushPayload,
    SyncErrorInfo,
)


def public(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """The item as devices see it (the server strips its bookkeeping)."""
    if item is None:
        return None
    return {k: v for k, v in item.items() if k != "_clientId"}


Rule = Callable[[ChangeIn, dict[str, Any] | None], SyncErrorInfo | None]


@dataclass
class FakeServer:
    user_id: str = "user-1"
    items: dict[tuple[Entity, str], dict[str, Any]] = field(default_factory=dict)
    feed: list[PulledChange] = field(default_factory=list)
    last_mutation: dict[str, int] = field(default_factory=dict)
    requests: list[list[ChangeIn]] = field(default_factory=list)
    pulls: list[str | None] = field(default_factory=list)
    resolutions: list[tuple[str, str]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=lambda: {"token-1"})
    refresh_tokens: set[str] = field(default_factory=lambda: {"refresh-1"})
    rule: Rule = lambda change, current: None
    drop_answers: int = 0
    drop_requests: int = 0
    stop_after: int | None = None
    reset_next_pull: bool = False
    fail_pull_page: int | None = None
    server_time: datetime | None = None
    in_flight: int = 0
    max_in_flight: int = 0

    # -- state changes made "by another device" -------------------------------------------

    def write(
        self, entity: Entity, key: dict[str, str], fields: dict[str, Any], by: str | None = None
    ) -> dict[str, Any]:
        """Write as another device or the API (``by`` = the writing client id, if a device)."""
        ident = (entity, canonical_key(entity, key))
        current = self.items.get(ident)
        base = current if current and not current.get("_deleted") else {}
        item = {**base, **fields, **key, "_deleted": False, "_clientId": by}
        return self._store(entity, key, item, current)

    def remove(self, entity: Entity, key: dict[str, str], by: str | None = None) -> None:
        ident = (entity, canonical_key(entity, key))
        current = self.items.get(ident) or dict(key)
        item = {**current, "_deleted": True, "_clientId": by}
        self._store(entity, key, item, self.items.get(ident))

    def forget(self, entity: Entity, key: dict[str, str]) -> None:
        """Drop an item without a tombstone (as if its tombstone expired)."""
        self.items.pop((entity, canonical_key(entity, key)), None)

    def _store(
        self,
        entity: Entity,
        key: dict[str, str],
        item: dict[str, Any],
        current: dict[str, Any] | None,
    ) -> dict[str, Any]:
        item["_version"] = (current or {}).get("_version", 0) + 1
        item["_lastChangedAt"] = "2026-11-24T12:00:00.000000Z"
        self.items[(entity, canonical_key(entity, key))] = item
        self.feed.append(
            PulledChange(
                len(self.feed) + 1,
                entity,
                dict(key),
                item["_version"],
                bool(item["_deleted"]),
                public(item),
            )
        )
        return item

    def item(self, entity: Entity, key: dict[str, str]) -> dict[str, Any] | None:
        return self.items.get((entity, canonical_key(entity, key)))

    # -- the protocol -----------------------------------------------------------------------

    def push(self, client_id: str, changes: Sequence[ChangeIn]) -> PushPayload:
        self.requests.append(list(changes))
        if self.drop_requests:
            self.drop_requests -= 1
            raise RetryableError("request lost")
        last = self.last_mutation.get(client_id, 0)
        if changes and changes[0].mutation_id > last + 1:
            raise FatalError("mutation ids skip ahead", code="MUTATION_GAP")
        results: list[ChangeResult] = []
        for change in changes:
            if self.stop_after is not None and len(results) >= self.stop_after:
                self.stop_after = None
                break
            results.append(self._apply(client_id, change, last))
            last = max(last, change.mutation_id)
        self.last_mutation[client_id] = last
        if self.drop_answers:
            self.drop_answers -= 1
            raise RetryableError("answer lost")
        return PushPayload(last, results, self.server_time)

    def _apply(self, client_id: str, change: ChangeIn, last: int) -> ChangeResult:
        current = self.item(change.entity, change.key)
        common = {"mutation_id": change.mutation_id, "entity": change.entity, "key": change.key}
        if change.mutation_id <= last:
            return ChangeResult(
                **common,
                status=ChangeStatus.DUPLICATE,
                version=(current or {}).get("_version"),
                item=public(current),
            )
        error = self.rule(change, current)
        if error is not None:
            issue_id = str(uuid.uuid4())
            issue_key = {"userId": self.user_id, "issueId": issue_id}
            self._store(
                Entity.SYNC_ISSUE,
                issue_key,
                {
                    **issue_key,
                    "entity": change.entity.value,
                    "key": change.key,
                    "code": error.code,
                    "message": error.message,
                    "field": error.field,
                    "mine": change.fields,
                    "theirs": current,
                    "status": "OPEN",
                    "createdAt": "2026-11-24T12:00:00Z",
                    "updatedAt": "2026-11-24T12:00:00Z",
                    "_deleted": False,
                },
                self.items.get((Entity.SYNC_ISSUE, canonical_key(Entity.SYNC_ISSUE, issue_key))),
            )
            return ChangeResult(
                **common,
                status=ChangeStatus.REJECTED,
                version=(current or {}).get("_version"),
                item=public(current),
                error=error,
                issue_id=issue_id,
            )
        # concurrent: someone else wrote the item after the version the change was made on
        concurrent = (
            current is not None
            and current.get("_clientId") != client_id
            and change.base_version != current.get("_version")
        )
        if change.op is Op.DELETE:
            self.remove(change.entity, change.key, by=client_id)
        else:
            self.write(change.entity, change.key, dict(change.fields or {}), by=client_id)
        item = self.item(change.entity, change.key)
        assert item is not None
        status = ChangeStatus.MERGED if concurrent else ChangeStatus.APPLIED
        return ChangeResult(**common, status=status, version=item["_version"], item=public(item))

    def resolve(self, issue_id: str, resolution: str) -> None:
        """KEEP_MINE applies the device's value as if nothing had happened meanwhile."""
        self.resolutions.append((issue_id, resolution))
        issue_key = {"userId": self.user_id, "issueId": issue_id}
        issue = self.item(Entity.SYNC_ISSUE, issue_key)
        if issue is None:
            raise FatalError("no such issue", code="NOT_FOUND")
        if resolution == "KEEP_MINE":
            error = self.rule(
                ChangeIn(
                    0, Entity(issue["entity"]), issue["key"], Op.PATCH, None, issue["mine"], None
                ),
                self.item(Entity(issue["entity"]), issue["key"]),
            )
            if error is not None:
                raise FatalError(error.message, code=error.code)
            self.write(Entity(issue["entity"]), issue["key"], dict(issue["mine"] or {}))
        status = "DISMISSED" if resolution == "DISMISS" else "RESOLVED"
        self.write(Entity.SYNC_ISSUE, issue_key, {"status": status})

    def pull(self, cursor: str | None, limit: int) -> PullPage:
        self.pulls.append(cursor)
        if self.reset_next_pull and cursor is not None:
            self.reset_next_pull = False
            return PullPage([], "", has_more=False, reset_required=True)
        if self.fail_pull_page is not None and len(self.pulls) == self.fail_pull_page:
            raise RetryableError("connection dropped mid-pull")
        start = int(cursor or 0)
        after = [c for c in self.feed if c.seq > start]
        page = after[:limit]
        last_seq = page[-1].seq if page else start
        has_more = len(after) > limit
        return PullPage(page, str(last_seq), has_more=has_more, server_time=self.server_time)


class FakeRemote:
    """``sync.remote.Remote`` over a ``FakeServer`` (no network)."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server

    def _check(self, token: str) -> None:
        if token not in self.server.tokens:
            raise AuthError("token expired", code="UNAUTHENTICATED")

    async def push(self, client_id: str, changes: Sequence[ChangeIn], *, token: str) -> PushPayload:
        self._check(token)
        self.server.in_flight += 1
        self.server.max_in_flight = max(self.server.max_in_flight, self.server.in_flight)
        try:
            await asyncio.sleep(0)
            return self.server.push(client_id, changes)
        finally:
            self.server.in_flight -= 1

    async def pull(
        self,
        cursor: str | None,
        limit: int,
        *,
        token: str,
        sent: Callable[[], None] | None = None,
    ) -> PullPage:
        self._check(token)
        if sent is not None:
            sent()
        return self.server.pull(cursor, limit)

    async def sign_in(self, email: str, password: str) -> AuthSession:
        if password != "secret":
            raise FatalError("wrong email or password", code="UNAUTHENTICATED")
        return AuthSession("token-1", "refresh-1", self.server.user_id)

    async def refresh(self, refresh_token: str) -> AuthSession:
        if refresh_token not in self.server.refresh_tokens:
            raise AuthError("refresh token expired", code="UNAUTHENTICATED")
        self.server.tokens.add("token-2")
        return AuthSession("token-2", "refresh-2", self.server.user_id)

    async def resolve_issue(self, issue_id: str, resolution: str, *, token: str) -> None:
        self._check(token)
        self.server.resolve(issue_id, resolution)
