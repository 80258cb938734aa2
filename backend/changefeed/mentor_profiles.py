"""Partners' public profiles on each other's devices: a mentee can pick whom to share a
reflection with while offline, and a mentor sees who shared it or waits for an approval.

A mentee and a mentor are partners through a goal (``Goals.mentorId``) or a session
(``Sessions.mentorId``). Each one's device gets the other as a ``USER`` item holding only the
spec's public fields (name, avatar, bio, rating), which any signed-in user may read anyway,
and the item's version:
- in the initial snapshot (``snapshot_profiles``);
- when a goal or a session first pairs them (``fanout``: each profile is appended to the
  other's feed);
- when someone's public fields change (``fanout``: appended to each partner's feed).

The fan-out is appended after the change's own transaction, in transactions that each fit
DynamoDB's limit: a mentor may have more mentees than one transaction holds.
A fan-out that fails is logged and dropped (the profile is refreshed at the mentee's next
reset or the mentor's next change); it never fails the change that caused it. A mentor who
stops mentoring someone stays on that device: a public profile is no secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..storage.base import Store
from ..storage.items import MAX_TRANSACTION_ACTIONS, Item
from ..storage.tables import Table, is_person_key

PUBLIC_FIELDS = ("userId", "name", "avatar", "bio", "rating")
"""The spec's public profile (section "Access Control": name, avatar, bio, rating)."""
_META = ("_version", "_lastChangedAt")
_PAGE = 1000


def public_profile(user: Item) -> dict[str, Any]:
    """What a partner's device may hold of a ``Users`` item."""
    out = {k: user[k] for k in (*PUBLIC_FIELDS, *_META) if user.get(k) is not None}
    out["_deleted"] = False
    return out


def _public_part(user: Item | None) -> dict[str, Any] | None:
    if user is None or user.get("_deleted"):
        return None
    return {k: user.get(k) for k in PUBLIC_FIELDS}


def _pairs(table: str, item: Item | None) -> set[tuple[str, str]]:
    """The (mentee, mentor) pair an item makes, if any."""
    if item is None or item.get("_deleted"):
        return set()
    if table == Table.GOALS:
        mentee, mentor = item.get("userId"), item.get("mentorId")
    elif table == Table.SESSIONS:
        mentee, mentor = item.get("menteeId"), item.get("mentorId")
    else:
        return set()
    ok = isinstance(mentee, str) and isinstance(mentor, str) and mentee and mentor
    return {(str(mentee), str(mentor))} if ok and mentee != mentor else set()


def _is_profile(table: str, item: Item) -> bool:
    return table == Table.USERS and is_person_key(str(item.get("userId", "")))


async def _all(store: Store, table: str, pk: str, index: str) -> list[Item]:
    items: list[Item] = []
    cursor: str | None = None
    while True:
        page = await store.query(table, pk, index=index, limit=_PAGE, cursor=cursor)
        items += page.items
        cursor = page.cursor
        if cursor is None:
            return items


async def _pairs_in(
    store: Store, user_id: str, goals_index: str, sessions_index: str
) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for table, index in ((Table.GOALS, goals_index), (Table.SESSIONS, sessions_index)):
        for item in await _all(store, table, user_id, index):
            pairs |= _pairs(table, item)
    return pairs


async def mentors_of(store: Store, mentee_id: str) -> list[str]:
    """The mentors of the user's goals and sessions, without repeats."""
    pairs = await _pairs_in(store, mentee_id, "GoalsByUser", "SessionsByMentee")
    return sorted({mentor for mentee, mentor in pairs if mentee == mentee_id})


async def mentees_of(store: Store, mentor_id: str) -> list[str]:
    """The users whose goals or sessions this mentor mentors."""
    pairs = await _pairs_in(store, mentor_id, "GoalsByMentor", "SessionsByMentor")
    return sorted({mentee for mentee, mentor in pairs if mentor == mentor_id})


async def partners_of(store: Store, user_id: str) -> list[str]:
    """The user's mentors and mentees, without repeats."""
    found = set(await mentors_of(store, user_id)) | set(await mentees_of(store, user_id))
    return sorted(found - {user_id})


async def snapshot_profiles(store: Store, user_id: str) -> list[Item]:
    """The live ``Users`` items of the user's partners (for the initial snapshot)."""
    partners = await partners_of(store, user_id)
    if not partners:
        return []
    found = await store.batch_get(Table.USERS, [{"userId": p} for p in partners])
    return [u for u in found if u is not None and not u.get("_deleted")]


async def fanout(store: Store, written: Sequence[Any]) -> dict[str, list[dict[str, Any]]]:
    """The public profiles each user's feed gets for these committed writes (``written``:
    the feed's ``WrittenItem``s), as recipient id -> profiles."""
    targets: dict[str, set[str]] = {}  # whose profile -> the partners to send it to
    profiles: dict[str, Item] = {}
    for w in written:
        for mentee, mentor in _pairs(w.table, w.item) - _pairs(w.table, w.before):
            targets.setdefault(mentor, set()).add(mentee)
            targets.setdefault(mentee, set()).add(mentor)
        if _is_profile(w.table, w.item) and _public_part(w.item) != _public_part(w.before):
            if w.item.get("_deleted"):
                continue
            subject = str(w.item["userId"])
            profiles[subject] = w.item
            targets.setdefault(subject, set()).update(await partners_of(store, subject))
    missing = [m for m in targets if m not in profiles]
    if missing:
        found = await store.batch_get(Table.USERS, [{"userId": m} for m in missing])
        profiles.update({m: u for m, u in zip(missing, found, strict=True) if u is not None})
    out: dict[str, list[dict[str, Any]]] = {}
    for subject, recipients in targets.items():
        user = profiles.get(subject)
        if user is None or user.get("_deleted"):
            continue
        for recipient in sorted(recipients - {subject}):
            out.setdefault(recipient, []).append(public_profile(user))
    return out


def chunks(planned: dict[str, list[Any]]) -> Iterable[dict[str, list[Any]]]:
    """``planned`` (feed id -> entries) in groups that fit one transaction: each feed costs
    its counter update plus one put per entry."""
    group: dict[str, list[Any]] = {}
    actions = 0
    for feed_id, entries in planned.items():
        cost = 1 + len(entries)
        if group and actions + cost > MAX_TRANSACTION_ACTIONS:
            yield group
            group, actions = {}, 0
        group[feed_id] = entries
        actions += cost
    if group:
        yield group
