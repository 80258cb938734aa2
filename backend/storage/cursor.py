"""Opaque continuation cursors for queries and scans.

A cursor holds the key of the last item returned (table key plus index key, which is what
DynamoDB's ``LastEvaluatedKey`` holds) and a fingerprint of the query it belongs to, so a cursor
handed to a different query is refused instead of silently skipping items.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from .errors import ValidationError


def query_fingerprint(*parts: Any) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def encode_cursor(last_key: dict[str, Any], fingerprint: str) -> str:
    raw = json.dumps({"k": last_key, "q": fingerprint}, sort_keys=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        key = data["k"]
        owner = data["q"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError("the cursor is not valid") from exc
    if owner != fingerprint or not isinstance(key, dict):
        raise ValidationError("the cursor belongs to a different query")
    return key
