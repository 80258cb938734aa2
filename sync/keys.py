"""Item keys as one canonical string, so every copy of a key finds the same local row.

``key_json`` is the key object's JSON with sorted attribute names and no spaces, e.g.
``{"date":"2026-11-24","habitId":"…"}``: equal keys give equal strings whatever order the
attributes arrived in, from the app or from the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from .entities import KEY_ATTRIBUTES, Entity


def canonical_key(entity: Entity, key: Mapping[str, Any] | str) -> str:
    """The canonical JSON of ``key``; ``ValueError`` unless it is exactly the entity's key."""
    parsed = orjson.loads(key) if isinstance(key, str) else dict(key)
    if not isinstance(parsed, dict):
        raise ValueError(f"a key is a JSON object, got {key!r}")
    expected = KEY_ATTRIBUTES[entity]
    if set(parsed) != set(expected):
        raise ValueError(f"{entity} is keyed by {', '.join(expected)}, got {sorted(parsed)}")
    for name, value in parsed.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"key attribute {name!r} must be a non-empty string")
    return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS).decode()


def key_of(key_json: str) -> dict[str, str]:
    """The key object back from its canonical JSON."""
    key: dict[str, str] = orjson.loads(key_json)
    return key
