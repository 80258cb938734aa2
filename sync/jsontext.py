"""JSON text for the device database's JSON columns (orjson: the pull path parses 50k items)."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads(text: str | bytes | None) -> Any:
    return None if text is None else orjson.loads(text)


def loads_object(text: str | bytes | None) -> dict[str, Any] | None:
    """A JSON object column (``None`` stays ``None``); anything else is a corrupt row."""
    value = loads(text)
    if value is not None and not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value
