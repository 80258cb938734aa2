"""Sync issues on the device: rejected or conflicting changes the user has to see.

An issue arrives twice: at once in the push result (``issueId``, the error, the server's
item) and later as a ``SYNC_ISSUE`` item of the change feed, which is how the other devices
of the user learn of it. Both land in the same row, keyed by the server's ``issueId``. A
resolution chosen on the device is stored at once and sent by the next sync
(``resolveSyncIssue``); until the server has it, the server's copy does not overwrite it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from protocol.statuses import RESOLVED_STATUS, IssueStatus, Resolution

from . import jsontext
from .entities import Entity
from .keys import canonical_key, key_of
from .models import SYNC_ISSUES, LocalSyncIssue
from .outbox import Entry
from .wire import ChangeResult, json_object

OPEN = IssueStatus.OPEN
DEVICE_ISSUE_PREFIX = "device-"
"""Ids of issues the server gave no id for (never sent to ``resolveSyncIssue``)."""
_I = SYNC_ISSUES.c


@dataclass(frozen=True)
class Issue:
    """An issue as the app shows it: what did not apply (mine) and what stayed (theirs)."""

    issue_id: str
    entity: Entity
    key: dict[str, str]
    code: str
    message: str
    field: str | None
    mine: dict[str, Any] | None
    theirs: dict[str, Any] | None
    status: str
    resolution: str | None
    created_at: str

    @classmethod
    def from_model(cls, row: LocalSyncIssue) -> Issue:
        return cls(
            issue_id=row.issue_id,
            entity=Entity(row.entity),
            key=key_of(row.key_json),
            code=row.code,
            message=row.message,
            field=row.field,
            mine=jsontext.loads_object(row.mine),
            theirs=jsontext.loads_object(row.theirs),
            status=row.status,
            resolution=row.resolution,
            created_at=row.created_at,
        )


def record_rejection(conn: sa.Connection, entry: Entry, result: ChangeResult, now: str) -> str:
    """Store the issue of a REJECTED / CONFLICT result (once: a retry may bring it again)."""
    issue_id = result.issue_id or f"{DEVICE_ISSUE_PREFIX}{entry.mutation_id}"
    error = result.error
    values = {
        "issue_id": issue_id,
        "entity": entry.entity.value,
        "key_json": entry.key_json,
        "code": error.code if error else result.status.value,
        "message": error.message if error else "the server kept its copy",
        "field": error.field if error else None,
        "mine": None if entry.fields is None else jsontext.dumps(entry.fields),
        "theirs": None if result.item is None else jsontext.dumps(result.item),
        "status": OPEN,
        "mutation_id": entry.mutation_id,
        "created_at": now,
        "updated_at": now,
    }
    conn.execute(sa.insert(SYNC_ISSUES).prefix_with("OR IGNORE").values(**values))
    return issue_id


def upsert_from_server(conn: sa.Connection, item: dict[str, Any], version: int) -> None:
    """Store a pulled ``SYNC_ISSUE`` item, unless ours is newer or has an unsent resolution.
    An issue about something this app does not know (a newer server) is not shown."""
    try:
        entity = Entity(item["entity"])
        key_json = canonical_key(entity, json_object(item.get("key")) or {})
    except (KeyError, ValueError):
        return
    values = {
        "entity": entity.value,
        "key_json": key_json,
        "code": item.get("code", ""),
        "message": item.get("message", ""),
        "field": item.get("field"),
        "mine": _json_text(item.get("mine")),
        "theirs": _json_text(item.get("theirs")),
        "status": item.get("status", OPEN),
        "version": version,
        "created_at": item.get("createdAt", ""),
        "updated_at": item.get("updatedAt", ""),
    }
    current = conn.execute(
        sa.select(_I.version, _I.resolution_sent).where(_I.issue_id == item["issueId"])
    ).first()
    if current is None:
        conn.execute(sa.insert(SYNC_ISSUES).values(issue_id=item["issueId"], **values))
        return
    if not current.resolution_sent:
        return
    if current.version is not None and current.version >= version:
        return
    conn.execute(sa.update(SYNC_ISSUES).where(_I.issue_id == item["issueId"]).values(**values))


def _json_text(value: Any) -> str | None:
    obj = json_object(value)
    return None if obj is None else jsontext.dumps(obj)


def read(conn: sa.Connection, issue_id: str) -> Issue | None:
    row = conn.execute(sa.select(SYNC_ISSUES).where(_I.issue_id == issue_id)).first()
    return (
        None if row is None else Issue.from_model(LocalSyncIssue.model_validate(dict(row._mapping)))
    )


def listed(conn: sa.Connection, status: str | None = OPEN) -> list[Issue]:
    query = sa.select(SYNC_ISSUES).order_by(_I.created_at.desc(), _I.issue_id)
    if status is not None:
        query = query.where(_I.status == status)
    return [
        Issue.from_model(LocalSyncIssue.model_validate(dict(row._mapping)))
        for row in conn.execute(query)
    ]


def count_open(conn: sa.Connection) -> int:
    query = sa.select(sa.func.count()).select_from(SYNC_ISSUES).where(_I.status == OPEN)
    return int(conn.execute(query).scalar_one())


def mark_resolved(conn: sa.Connection, issue_id: str, resolution: Resolution, now: str) -> None:
    conn.execute(
        sa.update(SYNC_ISSUES)
        .where(_I.issue_id == issue_id)
        .values(
            status=RESOLVED_STATUS[resolution],
            resolution=resolution,
            resolution_sent=False,
            updated_at=now,
        )
    )


def unsent_resolutions(conn: sa.Connection) -> list[tuple[str, str]]:
    query = sa.select(_I.issue_id, _I.resolution).where(
        _I.resolution_sent.is_(False), _I.resolution.is_not(None)
    )
    return [(row.issue_id, row.resolution) for row in conn.execute(query)]


def mark_resolution_sent(conn: sa.Connection, issue_id: str) -> None:
    conn.execute(sa.update(SYNC_ISSUES).where(_I.issue_id == issue_id).values(resolution_sent=True))


def reopen(conn: sa.Connection, issue_id: str, reason: str, now: str) -> None:
    """The server refused the resolution: the issue needs the user again, with the reason."""
    conn.execute(
        sa.update(SYNC_ISSUES)
        .where(_I.issue_id == issue_id)
        .values(status=OPEN, resolution=None, message=reason, updated_at=now)
    )
