"""Mentor session notes: the session's mentor's private notes, one per session (spec 17).

Nobody but that mentor may read or write them, not the mentee, not an admin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.text import check_text_length, require_text

from ..storage.items import Item, ItemView
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .ids import given_or_new_id
from .loaders import is_live
from .pages import query_live
from .sessions import load_session, read_session
from .writes import Changes, retrying

OPTIONAL_TEXTS = ("followUps", "growthFocus", "privateNotes")


@retrying
async def upsert_notes(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    """Create the session's notes, or replace their texts (fields not sent are cleared)."""
    viewer = ctx.require_viewer()
    session = await read_session(ctx, str(data.get("sessionId")))
    access.require_notes_mentor(viewer, session.get("mentorId"))
    fields: dict[str, Any] = {"summary": require_text(data.get("summary"), field="summary").strip()}
    for name in OPTIONAL_TEXTS:
        value = data.get(name)
        check_text_length(value, field=name)
        fields[name] = (value.strip() or None) if isinstance(value, str) else None
    current = await ctx.store.get(Table.MENTOR_SESSION_NOTES, {"sessionId": session["sessionId"]})
    changes = Changes(ctx)
    if is_live(current):
        notes = changes.update(Table.MENTOR_SESSION_NOTES, current, fields)
    else:
        notes = changes.create(
            Table.MENTOR_SESSION_NOTES,
            {
                "sessionId": session["sessionId"],
                "noteId": given_or_new_id(None, "noteId"),
                "mentorId": session["mentorId"],
                **fields,
            },
            replacing=current,
        )
    await changes.commit()
    return notes


async def get_notes(ctx: ServiceContext, session_id: str) -> Item | None:
    """The session's mentor only; ``None`` while there are no notes (or no session)."""
    viewer = ctx.require_viewer()
    session = await load_session(ctx, session_id)
    if session is None:
        return None
    access.require_notes_mentor(viewer, session.get("mentorId"))
    return await ctx.loaders.notes.load(session_id)


async def notes_of_session(ctx: ServiceContext, session: ItemView) -> Item | None:
    """The session's notes for its mentor; ``None`` for anyone else."""
    if not access.is_owner(ctx.viewer, session.get("mentorId")):
        return None
    return await ctx.loaders.notes.load(str(session["sessionId"]))


async def list_notes(ctx: ServiceContext, mentor_id: str, limit: int | None = None) -> list[Item]:
    """The mentor themself: their notes, newest first."""
    access.require_self(ctx.require_viewer(), mentor_id, "their session notes")
    items, _ = await query_live(
        ctx,
        Table.MENTOR_SESSION_NOTES,
        mentor_id,
        index="NotesByMentor",
        ascending=False,
        limit=limit,
    )
    return items
