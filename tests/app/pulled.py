"""Put server items into a device file the way a pull does (``apply_pull_page``), for app
tests that need what only the server writes: the USER item, sync issues."""

from __future__ import annotations

from typing import Any

from sync import DeviceStore, Entity
from sync.apply import apply_pull_page
from sync.wire import PulledChange, PullPage


def pull_into(store: DeviceStore, *changes: tuple[Entity, dict[str, Any], dict[str, Any]]) -> None:
    """Apply ``(entity, key, item)`` changes as one pulled page (version 1 each)."""
    page = PullPage(
        changes=[
            PulledChange(seq=n, entity=entity, key=key, version=1, deleted=False, item=item)
            for n, (entity, key, item) in enumerate(changes, start=1)
        ],
        cursor="test-cursor",
        has_more=False,
    )
    with store.transaction() as conn:
        apply_pull_page(conn, page, store.now())


def user_item(user_id: str, **fields: Any) -> tuple[Entity, dict[str, Any], dict[str, Any]]:
    item = {
        "userId": user_id,
        "email": "ana@example.com",
        "name": "Ana Souza",
        "bio": "Learning to run",
        "timeZone": "Europe/Lisbon",
        **fields,
    }
    return Entity.USER, {"userId": user_id}, item


def issue_item(issue_id: str, **fields: Any) -> tuple[Entity, dict[str, Any], dict[str, Any]]:
    item = {
        "issueId": issue_id,
        "entity": "TODO",
        "key": {"userId": "user-ana", "todoId": "t1"},
        "code": "CONFLICT",
        "message": "Changed on another device meanwhile",
        "field": "text",
        "mine": {"text": "buy oat milk"},
        "theirs": {"text": "buy milk"},
        "status": "OPEN",
        "createdAt": "2026-11-24T09:00:00.000Z",
        "updatedAt": "2026-11-24T09:00:00.000Z",
        **fields,
    }
    return Entity.SYNC_ISSUE, {"userId": "user-ana", "issueId": issue_id}, item
