"""The mentor's private notes on a session (spec 17): one per session, read and written by
that session's mentor only, never shown to the mentee.

The notes reach the mentor's device with his pulls (the server sends them to no one else);
saving needs a connection (the protocol has no device write for them): ``save_notes`` goes
through the online-actions client, and offline it raises ``online.Unreachable`` so the screen
keeps the draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.text import check_text_length, require_text
from sync import Entity

from . import online
from .context import UserContext

KEPT_FIELDS = ("growthFocus", "privateNotes")
"""Fields of the notes this screen does not edit: sent back unchanged (the server clears
what a save leaves out)."""


@dataclass(frozen=True)
class NotesDraft:
    """What the mentor types: what the session was about, and what to follow up next time."""

    summary: str = ""
    follow_ups: str = ""


@dataclass(frozen=True)
class SessionNotes:
    """The notes as the device last received them."""

    draft: NotesDraft
    kept: Mapping[str, Any]
    updated_at: str


def notes_of(user: UserContext, session_id: str) -> SessionNotes | None:
    """My notes on the session, or ``None`` (none yet, or the session is not mine to note)."""
    row = user.store.get(Entity.MENTOR_SESSION_NOTES, {"sessionId": session_id})
    if row is None or row.get("mentorId") != user.user_id:
        return None
    return SessionNotes(
        draft=NotesDraft(str(row.get("summary") or ""), str(row.get("followUps") or "")),
        kept={name: row.get(name) for name in KEPT_FIELDS},
        updated_at=str(row.get("updatedAt") or ""),
    )


def notes_input(user: UserContext, session_id: str, draft: NotesDraft) -> dict[str, Any]:
    """``UpsertMentorSessionNotesInput``, trimmed; a blank summary or a text too long is a
    ``RuleViolation`` naming the field, before anything is sent."""
    summary = require_text(draft.summary, field="summary").strip()
    check_text_length(draft.follow_ups, field="followUps")
    current = notes_of(user, session_id)
    return {
        "sessionId": session_id,
        "summary": summary,
        "followUps": draft.follow_ups.strip() or None,
        **(dict(current.kept) if current else {}),
    }


async def save_notes(user: UserContext, session_id: str, draft: NotesDraft) -> None:
    """Save my notes on the server (``online.Unreachable`` offline: nothing changes); they
    come back to this device with the next pull."""
    fields = notes_input(user, session_id, draft)
    await online.signed_in(
        user.store, lambda url, token: online.upsert_session_notes(url, token, fields)
    )
