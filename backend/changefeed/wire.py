"""Items as a device may see them: private attributes stripped, per reader.

The server strips attributes starting with ``#``, ``passwordHash``, ``isAdmin``,
``badgeKeys``, its own bookkeeping (``_ttl``, ``_clientId``, ``_fieldVersions``) and derived
index keys; another user's ``email``; the mentee of anonymous feedback for everyone but that
mentee; and events' meeting links (events reach every device through the public feed, the
link only the host and attendees, through the API). ``_deleted`` is always present.
Attributes set to ``None`` are left out, as storage leaves them out: an item fresh from a
write (a push result, a feed entry) is exactly the item a later initial sync reads back.
"""

from __future__ import annotations

from typing import Any

from ..storage.items import Item
from ..storage.tables import ALL_TABLES, Table

HIDDEN_ATTRS = frozenset(
    {"passwordHash", "isAdmin", "badgeKeys", "_ttl", "_clientId", "_fieldVersions"}
)
_DERIVED = {t.name: frozenset(d.name for d in t.derived) for t in ALL_TABLES}


def wire_item(table: str, item: Item, reader: str) -> dict[str, Any]:
    """``item`` of ``table`` as ``reader`` (a user id, or ``public``) may see it."""
    derived = _DERIVED.get(table, frozenset())
    out = {
        name: value
        for name, value in item.items()
        if not name.startswith("#")
        and name not in HIDDEN_ATTRS
        and name not in derived
        and value is not None
    }
    out["_deleted"] = bool(item.get("_deleted"))
    if table == Table.USERS and item.get("userId") != reader:
        out.pop("email", None)
    elif table == Table.SESSION_FEEDBACKS:
        if item.get("isAnonymous") and item.get("menteeId") != reader:
            out.pop("menteeId", None)
    elif table == Table.EVENTS:
        out.pop("meetingLink", None)
    return out
