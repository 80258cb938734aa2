"""Put rows on a device as if the server had sent them (a pulled page), for seeding screens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync import DeviceStore, Entity
from sync.apply import apply_pull_page
from sync.entities import KEY_ATTRIBUTES
from sync.wire import PulledChange, PullPage


def from_server(store: DeviceStore, entity: Entity, *items: Mapping[str, Any]) -> None:
    """Store ``items`` as server-confirmed rows (version 1 unless they carry ``_version``)."""
    changes = []
    for item in items:
        key = {name: item[name] for name in KEY_ATTRIBUTES[entity]}
        version = int(item.get("_version", 1))
        data = {**item, "_version": version, "_deleted": False}
        changes.append(PulledChange(version, entity, key, version, False, data))
    with store.transaction() as conn:
        apply_pull_page(conn, PullPage(changes, "seeded", has_more=False), store.now())
