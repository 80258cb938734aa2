"""Items as a device may see them: private attributes stripped, per reader.

The server strips attributes starting with ``#``, ``passwordHash``, ``isAdmin``,
``badgeKeys``, its own bookkeeping (``_ttl``, ``_clientId``, ``_fieldVersions``) and derived
index keys; another user's ``email``; the mentee AND the session of anonymous feedback for
everyone but that mentee (``detaches_feedback``); and events' meeting links (events reach
every device through the public feed, the link only the host and attendees, through the
API). ``_deleted`` is always present.
Attributes set to ``None`` are left out, as storage leaves them out: an item fresh from a
write (a push result, a feed entry) is exactly the item a later initial sync reads back.
"""

from __future__ import annotations

from typing import Any

from protocol.entities import Entity, wire_key

from ..storage.items import Item, ItemView
from ..storage.tables import ALL_TABLES, Table

HIDDEN_ATTRS = frozenset(
    {"passwordHash", "isAdmin", "badgeKeys", "_ttl", "_clientId", "_fieldVersions"}
)
_DROPPED = {t.name: HIDDEN_ATTRS | {d.name for d in t.derived} for t in ALL_TABLES}
"""Per table, the attributes no device sees: the hidden ones and the derived index keys (one
set, checked once per attribute: an initial sync strips 50,000 items)."""


def wire_item(table: str, item: Item, reader: str) -> dict[str, Any]:
    """``item`` of ``table`` as ``reader`` (a user id, or ``public``) may see it."""
    dropped = _DROPPED.get(table, HIDDEN_ATTRS)
    out = {
        name: value
        for name, value in item.items()
        if name not in dropped and value is not None and name[:1] != "#"
    }
    out["_deleted"] = bool(item.get("_deleted"))
    if table == Table.USERS and item.get("userId") != reader:
        out.pop("email", None)
    elif detaches_feedback(table, item, reader):
        out.pop("menteeId", None)
        out["sessionId"] = detached_feedback_key(item)
    elif table == Table.EVENTS:
        out.pop("meetingLink", None)
    return out


def detaches_feedback(table: str, item: ItemView, reader: str) -> bool:
    """Anonymous feedback reaches everyone but its mentee detached from its session: keyed by
    the feedback, without ``menteeId`` (the session would name the mentee)."""
    return (
        table == Table.SESSION_FEEDBACKS
        and bool(item.get("isAnonymous"))
        and item.get("menteeId") != reader
    )


def detached_feedback_key(item: ItemView) -> str:
    """The ``sessionId`` of a detached copy: no session's id, unique per feedback."""
    return f"anonymous#{item.get('feedbackId', '')}"


def wire_item_key(table: str, entity: Entity | str, item: ItemView, reader: str) -> dict[str, Any]:
    """``item``'s key as ``reader`` sees it (``wire_key``, or a detached feedback's)."""
    key = wire_key(entity, item)
    if detaches_feedback(table, item, reader):
        key["sessionId"] = detached_feedback_key(item)
    return key
