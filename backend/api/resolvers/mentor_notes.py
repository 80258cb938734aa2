"""Mentor session notes: thin resolvers over ``services.mentor_notes`` (mentor only)."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...services import mentor_notes
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
notes_type = ObjectType("MentorSessionNotes")


@query.field("getMentorSessionNotes")
async def resolve_get_mentor_session_notes(_: Any, info: Info, sessionId: str) -> Item | None:
    return await mentor_notes.get_notes(ctx_of(info), sessionId)


@query.field("listMentorSessionNotes")
async def resolve_list_mentor_session_notes(
    _: Any, info: Info, mentorId: str, limit: int | None = None
) -> list[Item]:
    return await mentor_notes.list_notes(ctx_of(info), mentorId, limit)


@mutation.field("upsertMentorSessionNotes")
async def resolve_upsert_mentor_session_notes(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await mentor_notes.upsert_notes(ctx_of(info), input)


@notes_type.field("session")
async def resolve_notes_session(notes: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.session.load(str(notes["sessionId"]))


@notes_type.field("mentor")
async def resolve_notes_mentor(notes: Item, info: Info) -> Item | None:
    return await ctx_of(info).loaders.user.load(str(notes["mentorId"]))


bindables = [query, mutation, notes_type]
