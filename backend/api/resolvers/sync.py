"""Offline sync: thin resolvers over ``backend/sync`` (push, pull, issues, pokes)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from ariadne import MutationType, QueryType, SubscriptionType

from ...storage.items import Item
from ...sync import issues, pull, push
from ...sync.stream import poke_stream
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
subscription = SubscriptionType()


@mutation.field("pushChanges")
async def resolve_push_changes(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    return await push.push_changes(ctx_of(info), input)


@query.field("pullChanges")
async def resolve_pull_changes(
    _: Any, info: Info, cursor: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    return await pull.pull_changes(ctx_of(info), cursor, limit)


@query.field("listSyncIssues")
async def resolve_list_sync_issues(
    _: Any, info: Info, status: str | None = None, limit: int | None = None
) -> list[Item]:
    return await issues.list_issues(ctx_of(info), status, limit)


@mutation.field("resolveSyncIssue")
async def resolve_resolve_sync_issue(_: Any, info: Info, issueId: str, resolution: str) -> Item:
    return await issues.resolve_issue(ctx_of(info), issueId, resolution)


@subscription.source("syncPoke")
async def sync_poke_source(_: Any, info: Info) -> AsyncGenerator[int, None]:
    async for seq in poke_stream(ctx_of(info)):
        yield seq


@subscription.field("syncPoke")
def resolve_sync_poke(seq: int, info: Info) -> int:
    return seq


bindables = [query, mutation, subscription]
