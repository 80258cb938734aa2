"""A mentor's booked time, kept in one item so that no double booking can slip through.

The ledger is a companion item in the Users table (like the login and username items),
``userId = "#slots#<mentorId>"``, listing the mentor's PENDING and CONFIRMED sessions that
have not ended yet as ``{sessionId, start, end}``. A booking reads it by key (strongly
consistent, unlike an index query), refuses an overlap, and writes it back in the booking's own
transaction under a version condition: of two racing bookings one loses, is retried, and then
sees the other. A session that leaves PENDING/CONFIRMED is taken out in its transition's
transaction; entries that have ended are dropped on every write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.clock import parse_utc, utc_iso
from domain.errors import Conflict
from domain.sessions import slots_overlap

from ..storage.items import Item
from ..storage.tables import Table
from .context import ServiceContext
from .loaders import is_live
from .writes import Changes

TABLE = Table.USERS


def ledger_key(mentor_id: str) -> dict[str, str]:
    return {"userId": f"#slots#{mentor_id}"}


class SlotLedger:
    """The mentor's held slots as read, and the changes one operation makes to them."""

    def __init__(self, mentor_id: str, stored: Item | None, now: datetime) -> None:
        self.mentor_id = mentor_id
        self.stored = stored
        live = stored if is_live(stored) else {}
        self.slots: list[dict[str, Any]] = [
            dict(slot) for slot in live.get("slots", []) if parse_utc(slot["end"]) > now
        ]

    def check_free(self, start: datetime, end: datetime) -> None:
        """``Conflict`` when a held slot overlaps ``[start, end)``."""
        for slot in self.slots:
            if slots_overlap(start, end, parse_utc(slot["start"]), parse_utc(slot["end"])):
                raise Conflict("the mentor already has a session at that time", field="date")

    def hold(self, session_id: str, start: datetime, end: datetime) -> None:
        self.slots.append({"sessionId": session_id, "start": utc_iso(start), "end": utc_iso(end)})
        self.slots.sort(key=lambda slot: str(slot["start"]))

    def release(self, session_id: str) -> bool:
        """Drop the session's slot; whether it was held."""
        before = len(self.slots)
        self.slots = [slot for slot in self.slots if slot["sessionId"] != session_id]
        return len(self.slots) != before

    def write(self, changes: Changes) -> None:
        """Queue the ledger's new state in ``changes`` (guarded by the version read)."""
        if self.stored is None:
            changes.create(
                TABLE,
                {**ledger_key(self.mentor_id), "ownerId": self.mentor_id, "slots": self.slots},
            )
        elif not is_live(self.stored):
            changes.create(
                TABLE,
                {**ledger_key(self.mentor_id), "ownerId": self.mentor_id, "slots": self.slots},
                replacing=self.stored,
            )
        else:
            changes.update(TABLE, self.stored, {"slots": self.slots})


async def read_ledger(ctx: ServiceContext, mentor_id: str) -> SlotLedger:
    stored = await ctx.store.get(TABLE, ledger_key(mentor_id))
    return SlotLedger(mentor_id, stored, ctx.clock.now())
