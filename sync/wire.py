"""The push/pull messages as typed values, and their GraphQL (camelCase) form.

Shapes follow backend/api/schema/sync.graphql. ``AWSJSON`` values are JSON objects; a JSON
string is accepted too, as the server accepts both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from protocol.entities import Entity, Op
from protocol.statuses import ChangeStatus as ChangeStatus  # re-exported: sync.wire names it

_ENTITY_OF = {entity.value: entity for entity in Entity}
"""A dict lookup: ``Entity(value)`` costs more than the rest of decoding a pulled change."""


def json_object(value: Any) -> dict[str, Any] | None:
    """An ``AWSJSON`` value as a dict (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, str | bytes):
        value = orjson.loads(value)
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class ChangeIn:
    mutation_id: int
    entity: Entity
    key: dict[str, str]
    op: Op
    base_version: int | None
    fields: dict[str, Any] | None
    client_time: str | None

    def to_graphql(self) -> dict[str, Any]:
        return {
            "mutationId": self.mutation_id,
            "entity": self.entity.value,
            "key": self.key,
            "op": self.op.value,
            "baseVersion": self.base_version,
            "fields": self.fields,
            "clientTime": self.client_time,
        }

    def wire_bytes(self) -> int:
        """Its size in a request body (compact UTF-8 JSON, as httpx sends it)."""
        return len(orjson.dumps(self.to_graphql()))


@dataclass(frozen=True)
class SyncErrorInfo:
    code: str
    message: str
    field: str | None = None
    retryable: bool = False

    @classmethod
    def from_graphql(cls, data: Mapping[str, Any]) -> SyncErrorInfo:
        return cls(data["code"], data["message"], data.get("field"), bool(data.get("retryable")))


@dataclass(frozen=True)
class ChangeResult:
    mutation_id: int
    status: ChangeStatus
    entity: Entity
    key: dict[str, Any]
    version: int | None = None
    item: dict[str, Any] | None = None
    error: SyncErrorInfo | None = None
    issue_id: str | None = None

    @classmethod
    def from_graphql(cls, data: Mapping[str, Any]) -> ChangeResult:
        error = data.get("error")
        return cls(
            mutation_id=int(data["mutationId"]),
            status=ChangeStatus(data["status"]),
            entity=Entity(data["entity"]),
            key=json_object(data["key"]) or {},
            version=data.get("version"),
            item=json_object(data.get("item")),
            error=SyncErrorInfo.from_graphql(error) if error else None,
            issue_id=data.get("issueId"),
        )


@dataclass(frozen=True)
class PushPayload:
    last_mutation_id: int
    results: list[ChangeResult]
    server_time: datetime | None = None

    @classmethod
    def from_graphql(
        cls, data: Mapping[str, Any], server_time: datetime | None = None
    ) -> PushPayload:
        results = [ChangeResult.from_graphql(r) for r in data["results"]]
        return cls(int(data["lastMutationId"]), results, server_time)


@dataclass(frozen=True)
class PulledChange:
    seq: int
    entity: Entity
    key: dict[str, Any]
    version: int
    deleted: bool
    item: dict[str, Any] | None = None

    @classmethod
    def from_graphql(cls, data: Mapping[str, Any]) -> PulledChange:
        return cls(
            seq=int(data["seq"]),
            entity=_ENTITY_OF[data["entity"]],
            key=json_object(data["key"]) or {},
            version=int(data["version"]),
            deleted=bool(data["deleted"]),
            item=json_object(data.get("item")),
        )


@dataclass(frozen=True)
class PullPage:
    changes: list[PulledChange]
    cursor: str
    has_more: bool
    reset_required: bool = False
    server_time: datetime | None = field(default=None, compare=False)

    @classmethod
    def from_graphql(cls, data: Mapping[str, Any], server_time: datetime | None = None) -> PullPage:
        """The page; changes of entities this app does not know (a newer server) are skipped."""
        return cls(
            changes=[
                PulledChange.from_graphql(c) for c in data["changes"] if c["entity"] in _ENTITY_OF
            ],
            cursor=data["cursor"],
            has_more=bool(data["hasMore"]),
            reset_required=bool(data["resetRequired"]),
            server_time=server_time,
        )


@dataclass(frozen=True)
class AuthSession:
    """What signing in (or refreshing) gives the device."""

    access_token: str
    refresh_token: str
    user_id: str
    role: str | None = None
    """MENTEE, MENTOR or BOTH as signing in answered (None where the answer had no role):
    the app draws the right navigation before the first pull brings the profile."""
