"""``pullChanges``: what changed for the caller since their cursor, by seq, never by time.

- ``cursor: null`` (initial sync): first the seqs of the caller's feed and of the public feed
  are read, then a snapshot of everything the caller may see is read page by page from the
  tables (their own items through the user indexes, goals they mentor, reflections shared with
  them, sessions, feedback, notes, badges, attendances, sync issues, the public
  categories, venues and events, and the public profiles of their mentors), then the feeds
  from the seqs read BEFORE the snapshot. A change made while the snapshot is read therefore
  arrives through the feed (perhaps twice; the device skips versions it has). On DynamoDB
  the indexes are eventually consistent, so the replay starts a few seconds (``index_lag``)
  of feed entries earlier. While a snapshot goes on, the page after the one just answered is
  read at once and kept for the request that asks for it (``changefeed.pages_ahead``).
- A cursor from a previous pull: the caller's feed, then the public feed, in seq order from
  the cursor's seqs; ``hasMore`` while more remain. Seqs have no gaps, so a missing first
  entry means it expired (tombstones and feed entries live ``ttl``, 180 days by default):
  ``resetRequired`` tells the device to pull from ``null`` again (keeping its outbox).

The cursor is opaque to the device: URL-safe base64 of JSON holding the caller's id, the
phase, the feeds' seqs and, during a snapshot, the step and the storage cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from domain.clock import utc_iso
from domain.errors import RuleViolation
from protocol.entities import Entity, wire_key

from ..changefeed import mentor_profiles
from ..changefeed.audience import audience
from ..changefeed.entities import ENTITY_OF_TABLE
from ..changefeed.feed import last_seqs, read_feed, recent_entries
from ..changefeed.pages_ahead import PagesAhead
from ..changefeed.poke import PUBLIC_FEED
from ..changefeed.wire import wire_item, wire_item_key
from ..services.context import ServiceContext
from ..services.loaders import is_live
from ..services.pages import clamp_limit
from ..storage.errors import ValidationError
from ..storage.items import Item
from ..storage.tables import Table

DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
CURSOR_VERSION = 1
STORAGE_PAGE = 1000
LAG_SCAN = 500


@dataclass(frozen=True)
class SnapshotStep:
    """One source of the initial sync: the caller's partition of a table or index, or a scan."""

    table: str
    index: str | None = None
    kind: str = "query"
    """"query" (partition = the caller), "get" (the caller's item), "scan", or "mentors"
    (the public profiles of the caller's mentors, ``mentor_profiles``)."""
    public: bool = False


SNAPSHOT: tuple[SnapshotStep, ...] = (
    SnapshotStep(Table.USERS, kind="get"),
    SnapshotStep(Table.GOALS, "GoalsByUser"),
    SnapshotStep(Table.GOALS, "GoalsByMentor"),
    SnapshotStep(Table.HABITS, "HabitsByUser"),
    SnapshotStep(Table.HABIT_COMPLETIONS, "CompletionsByUser"),
    SnapshotStep(Table.REFLECTIONS),
    SnapshotStep(Table.REFLECTIONS, "ReflectionsByShared"),
    SnapshotStep(Table.TODOS),
    SnapshotStep(Table.NOTIFICATIONS),
    SnapshotStep(Table.SESSIONS, "SessionsByMentor"),
    SnapshotStep(Table.SESSIONS, "SessionsByMentee"),
    SnapshotStep(Table.SESSION_FEEDBACKS, "FeedbacksByMentor"),
    SnapshotStep(Table.SESSION_FEEDBACKS, "FeedbacksByMentee"),
    SnapshotStep(Table.MENTOR_SESSION_NOTES, "NotesByMentor"),
    SnapshotStep(Table.BADGES),
    SnapshotStep(Table.EVENT_ATTENDANCES, "AttendancesByUser"),
    SnapshotStep(Table.SYNC_ISSUES),
    SnapshotStep(Table.CATEGORIES, kind="scan", public=True),
    SnapshotStep(Table.VENUES, kind="scan", public=True),
    SnapshotStep(Table.EVENTS, kind="scan", public=True),
    SnapshotStep(Table.USERS, kind="mentors"),
)


@dataclass
class Cursor:
    user_id: str
    seqs: dict[str, int]
    """The user's and the public feed's seq after which the feed is read."""
    step: int | None = None
    """During the initial snapshot: the step being read, else None (reading the feeds)."""
    page: str | None = None

    def encode(self) -> str:
        data: dict[str, Any] = {
            "v": CURSOR_VERSION,
            "u": self.user_id,
            "f": [self.seqs[self.user_id], self.seqs[PUBLIC_FEED]],
        }
        if self.step is not None:
            data["s"] = self.step
            data["c"] = self.page
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, user_id: str) -> Cursor:
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            own, public = data["f"]
            step, page = data.get("s"), data.get("c")
            ok = (
                data["v"] == CURSOR_VERSION
                and all(_is_seq(s) for s in (own, public))
                and (step is None or (isinstance(step, int) and 0 <= step <= len(SNAPSHOT)))
                and (page is None or isinstance(page, str))
            )
        except (ValueError, KeyError, TypeError, binascii.Error):
            ok = False
        if not ok:
            raise RuleViolation("not a cursor this server issued", field="cursor")
        if data["u"] != user_id:
            raise RuleViolation("this cursor belongs to another user", field="cursor")
        return cls(user_id, {user_id: own, PUBLIC_FEED: public}, step, page)


def _is_seq(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


Pulled = tuple[dict[str, Any], bool]
"""A page, and whether the snapshot goes on after it."""


async def pull_changes(
    ctx: ServiceContext, cursor: str | None, limit: int | None
) -> dict[str, Any]:
    viewer = ctx.require_viewer()
    wanted = clamp_limit(limit, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    ahead: PagesAhead[Pulled] = ctx.services.sync.pages_ahead
    pulled = None
    if cursor is not None:
        pulled = await ahead.take((viewer.user_id, cursor, wanted))
    if pulled is None:
        pulled = await _pull(ctx, viewer.user_id, cursor, wanted)
    page, in_snapshot = pulled
    if in_snapshot:
        # The snapshot goes on: its next page is read now, while the device stores this one
        # (``changefeed.pages_ahead``), in a context of its own as a request of its own.
        reader = ServiceContext(ctx.services, viewer)
        after = page["cursor"]
        ahead.read(
            (viewer.user_id, after, wanted), lambda: _pull(reader, viewer.user_id, after, wanted)
        )
    return page


async def _pull(ctx: ServiceContext, user_id: str, cursor: str | None, wanted: int) -> Pulled:
    if cursor is None:
        state = await _start_snapshot(ctx, user_id)
    else:
        state = Cursor.decode(cursor, user_id)
    changes: list[dict[str, Any]] = []
    if state.step is not None:
        await _read_snapshot(ctx, state, changes, wanted)
        if state.step is not None or len(changes) >= wanted:
            return _payload(changes, state, has_more=True), state.step is not None
    outcome = await _read_feeds(ctx, state, changes, wanted)
    if outcome is None:
        reset = {"changes": [], "cursor": cursor or "", "hasMore": False, "resetRequired": True}
        return reset, False
    return _payload(changes, state, has_more=outcome), False


def _payload(changes: list[dict[str, Any]], state: Cursor, *, has_more: bool) -> dict[str, Any]:
    return {
        "changes": changes,
        "cursor": state.encode(),
        "hasMore": has_more,
        "resetRequired": False,
    }


# -- initial snapshot -----------------------------------------------------------------------


async def _start_snapshot(ctx: ServiceContext, user_id: str) -> Cursor:
    """The feeds' seqs before anything is read, moved back by the index lag."""
    seqs = await last_seqs(ctx.store, [user_id, PUBLIC_FEED])
    since = utc_iso(ctx.clock.now() - ctx.services.sync.settings.index_lag)
    for feed_id, last in list(seqs.items()):
        for entry in await recent_entries(ctx.store, feed_id, last, LAG_SCAN):
            if str(entry.get("at", "")) < since:
                break
            seqs[feed_id] = int(entry["seq"]) - 1
    return Cursor(user_id, seqs, step=0)


async def _read_snapshot(
    ctx: ServiceContext, state: Cursor, out: list[dict[str, Any]], wanted: int
) -> None:
    user_id = state.user_id
    while state.step is not None and len(out) < wanted:
        if state.step >= len(SNAPSHOT):
            state.step, state.page = None, None
            return
        step = SNAPSHOT[state.step]
        items, next_page = await _snapshot_page(ctx, step, user_id, state.page, wanted - len(out))
        seq = state.seqs[PUBLIC_FEED if step.public else user_id]
        reader = PUBLIC_FEED if step.public else user_id
        for item in items:
            if step.kind == "mentors":
                out.append(_mentor_change(item, seq))
            elif is_live(item) and reader in audience(step.table, item):
                out.append(_change(step.table, item, user_id, seq, deleted=False))
        if next_page is None:
            state.step, state.page = state.step + 1, None
        else:
            state.page = next_page


async def _snapshot_page(
    ctx: ServiceContext, step: SnapshotStep, user_id: str, page: str | None, room: int
) -> tuple[list[Item], str | None]:
    store = ctx.store
    try:
        if step.kind == "get":
            item = await store.get(step.table, {"userId": user_id})
            return ([item] if item is not None else []), None
        if step.kind == "mentors":
            return await mentor_profiles.snapshot_profiles(store, user_id), None
        size = min(STORAGE_PAGE, room)
        if step.kind == "scan":
            result = await store.scan(step.table, limit=size, cursor=page)
        else:
            result = await store.query(
                step.table, user_id, index=step.index, limit=size, cursor=page
            )
    except ValidationError as exc:
        raise RuleViolation("not a cursor this server issued", field="cursor") from exc
    return result.items, result.cursor


# -- feeds ----------------------------------------------------------------------------------


async def _read_feeds(
    ctx: ServiceContext, state: Cursor, out: list[dict[str, Any]], wanted: int
) -> bool | None:
    """Append feed entries after the cursor's seqs; whether more remain, None to reset."""
    user_id = state.user_id
    feeds = [user_id, PUBLIC_FEED]
    lasts = await last_seqs(ctx.store, feeds)
    more = False
    for feed_id in feeds:
        after, last = state.seqs[feed_id], lasts[feed_id]
        if after > last:
            return None  # the feed went back: this cursor is from other data
        if after == last:
            continue
        room = wanted - len(out)
        if room <= 0:
            more = True
            continue
        entries, _ = await read_feed(ctx.store, feed_id, after, room)
        if not entries or int(entries[0]["seq"]) != after + 1:
            return None  # the entries after the cursor have expired
        for entry in entries:
            out.append(_entry_change(entry))
        state.seqs[feed_id] = int(entries[-1]["seq"])
        more = more or state.seqs[feed_id] < last
    return more


def _entry_change(entry: Item) -> dict[str, Any]:
    return {
        "seq": int(entry["seq"]),
        "entity": entry["entity"],
        "key": entry["key"],
        "version": int(entry["version"]),
        "deleted": bool(entry["deleted"]),
        "item": entry.get("item"),
    }


def _mentor_change(user: Item, seq: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "entity": Entity.USER,
        "key": wire_key(Entity.USER, user),
        "version": int(user.get("_version", 0)),
        "deleted": False,
        "item": mentor_profiles.public_profile(user),
    }


def _change(table: str, item: Item, reader: str, seq: int, *, deleted: bool) -> dict[str, Any]:
    entity = ENTITY_OF_TABLE[table]
    return {
        "seq": seq,
        "entity": entity,
        "key": wire_item_key(table, entity, item, reader),
        "version": int(item.get("_version", 0)),
        "deleted": deleted,
        "item": wire_item(table, item, reader),
    }
