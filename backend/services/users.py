"""Users: sign-up, profiles, look-ups, and the items that keep emails and usernames unique.

Besides the profile item, the Users table holds small companion items, each keyed so it can be
read strongly consistently by key:

- ``#login#<email>``: the owner's id and password hash (so profiles never carry the hash);
- ``#username#<username>``: the owner's id (unique usernames, case-insensitive);
- ``<userId>#interest#<interest>``: one per interest, indexed by ``UsersByInterest``.

They are created and removed in the same transaction as the profile change.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from domain.clock import zone
from domain.emails import email_key, normalize_email
from domain.errors import Conflict, RuleViolation
from domain.text import check_text_length, require_text

from ..auth.passwords import hash_password_off_loop, password_matches_off_loop
from ..auth.tokens import TokenPair
from ..errors import NotFound, Unauthenticated
from ..storage.items import Item
from ..storage.tables import Table, interest_fanout_key
from . import access, profiles, refresh_families
from .context import ServiceContext, Services
from .loaders import is_live
from .pages import all_live, clamp_limit, query_live
from .writes import Changes, retrying

ROLES = ("MENTOR", "MENTEE", "BOTH")
TIERS = ("standard", "premium", "exclusive")
_USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,30}")
MAX_TAGS = 30


def login_key(email: str) -> dict[str, str]:
    return {"userId": f"#login#{email_key(email)}"}


def username_key(username: str) -> dict[str, str]:
    return {"userId": f"#username#{username.strip().lower()}"}


def _username(value: object) -> str:
    text = require_text(value, field="username", max_length=30).strip()
    if not _USERNAME.fullmatch(text):
        raise RuleViolation("3-30 letters, digits, '.', '_' or '-'", field="username")
    return text


def _tags(values: Iterable[str] | None, field: str) -> list[str]:
    out: list[str] = []
    for value in values or []:
        tag = require_text(value, field=field, max_length=50).strip()
        if tag.lower() not in (t.lower() for t in out):
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise RuleViolation(f"at most {MAX_TAGS} entries", field=field)
    return out


def _profile_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated optional profile fields present in ``data`` (``None`` clears one)."""
    out: dict[str, Any] = {}
    for name, limit in (("title", 120), ("bio", 2000), ("avatar", 2048), ("location", 120)):
        if name in data:
            check_text_length(data[name], field=name, max_length=limit)
            out[name] = data[name]
    if "name" in data:
        out["name"] = require_text(data["name"], field="name", max_length=100).strip()
    if data.get("role") is not None:
        out["role"] = parse_choice_str(data["role"], ROLES, "role")
    if data.get("membershipTier") is not None:
        out["membershipTier"] = parse_choice_str(data["membershipTier"], TIERS, "membershipTier")
    if data.get("timeZone") is not None:
        zone(data["timeZone"])
        out["timeZone"] = data["timeZone"]
    for name in ("skills", "interests"):
        if name in data:
            out[name] = _tags(data[name], name)
    return out


def parse_choice_str(value: object, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise RuleViolation(f"{value!r} is not one of: {', '.join(allowed)}", field=field)
    return str(value)


def _interest_items(user: Item) -> dict[str, Item]:
    return {
        interest_fanout_key(user["userId"], i): {
            "userId": interest_fanout_key(user["userId"], i),
            "interest": i.strip().lower(),
            "ownerId": user["userId"],
            "createdAt": user["createdAt"],
        }
        for i in user.get("interests", [])
    }


async def _create_profile(
    ctx: ServiceContext, data: Mapping[str, Any], *, password_hash: str | None
) -> Item:
    email = normalize_email(data.get("email"))
    username = _username(data.get("username"))
    fields = _profile_fields({**data, "timeZone": data.get("timeZone") or "UTC"})
    if "name" not in fields:
        raise RuleViolation("must not be empty", field="name")
    if "role" not in fields:
        raise RuleViolation("a role is needed", field="role")
    user_id = str(data.get("userId") or uuid.uuid4())
    try:
        uuid.UUID(user_id)
    except ValueError:
        raise RuleViolation("must be a UUID", field="userId") from None

    store = ctx.store
    login = await store.get(Table.USERS, login_key(email))
    if is_live(login):
        raise Conflict("an account with this email exists", field="email")
    taken = await store.get(Table.USERS, username_key(username))
    if is_live(taken):
        raise Conflict("this username is taken", field="username")
    if await store.get(Table.USERS, {"userId": user_id}) is not None:
        raise Conflict("a user with this id exists", field="userId")

    changes = Changes(ctx)
    user = changes.create(
        Table.USERS,
        {
            "userId": user_id,
            "email": email,
            "username": username,
            "membershipTier": "standard",
            "verified": False,
            "rating": 0.0,
            "totalSessions": 0,
            "inPersonSessions": 0,
            "skills": [],
            "interests": [],
            **fields,
        },
    )
    changes.create(
        Table.USERS,
        {**login_key(email), "ownerId": user_id, "passwordHash": password_hash},
        replacing=login,
    )
    changes.create(Table.USERS, {**username_key(username), "ownerId": user_id}, replacing=taken)
    for item in _interest_items(user).values():
        changes.create(Table.USERS, item)
    await changes.commit()
    return user


@retrying
async def sign_up(ctx: ServiceContext, data: Mapping[str, Any]) -> tuple[TokenPair, Item]:
    password = data.get("password")
    if not isinstance(password, str) or not 8 <= len(password) <= 256:
        raise RuleViolation("the password needs 8 to 256 characters", field="password")
    user = await _create_profile(
        ctx, data, password_hash=await hash_password_off_loop(password)
    )
    return await refresh_families.start(ctx, user), user


async def sign_in(ctx: ServiceContext, email: str, password: str) -> tuple[TokenPair, Item]:
    throttle, now, account = ctx.services.sign_in_throttle, ctx.clock.now(), email_key(email)
    throttle.check(account, ctx.client_address, now)
    login = await ctx.store.get(Table.USERS, login_key(email))
    hashed = login.get("passwordHash") if login and is_live(login) else None
    if not await password_matches_off_loop(str(hashed) if hashed else None, password):
        throttle.failed(account, ctx.client_address, now)
        raise Unauthenticated("wrong email or password")
    assert login is not None
    throttle.succeeded(account)
    user = await ctx.store.get(Table.USERS, {"userId": login["ownerId"]})
    if not is_live(user):
        raise Unauthenticated("wrong email or password")
    return await refresh_families.start(ctx, user), user


@retrying
async def create_user(ctx: ServiceContext, data: Mapping[str, Any]) -> Item:
    """Admin import of a profile (e.g. from Cognito): no password until the user sets one."""
    access.require_admin(ctx.require_viewer())
    return await _create_profile(ctx, data, password_hash=None)


async def get_user(ctx: ServiceContext, user_id: str) -> Item | None:
    """``None`` for a mentee when signed out (``profiles``)."""
    user = await ctx.loaders.user.load(user_id)
    return user if user is not None and profiles.is_listed_for(ctx, user) else None


@retrying
async def update_profile(ctx: ServiceContext, user_id: str, data: Mapping[str, Any]) -> Item:
    viewer = ctx.require_viewer()
    access.require_self_or_admin(viewer, user_id, "this profile")
    if data.get("membershipTier") is not None:
        access.require_admin(viewer)
    current = await ctx.store.get(Table.USERS, {"userId": user_id})
    if not is_live(current):
        raise NotFound("no such user")
    fields = _profile_fields({k: v for k, v in data.items() if k != "username"})
    for required in ("name", "role", "timeZone", "membershipTier", "skills", "interests"):
        if required in data and data[required] is None:
            raise RuleViolation("cannot be cleared", field=required)
    changes = Changes(ctx)
    if data.get("username") is not None:
        username = _username(data["username"])
        if username.lower() != str(current["username"]).lower():
            taken = await ctx.store.get(Table.USERS, username_key(username))
            if is_live(taken):
                raise Conflict("this username is taken", field="username")
            old = await ctx.store.get(Table.USERS, username_key(current["username"]))
            if old is not None:
                changes.delete(Table.USERS, old)
            changes.create(
                Table.USERS, {**username_key(username), "ownerId": user_id}, replacing=taken
            )
        fields["username"] = username
    user = changes.update(Table.USERS, current, fields)
    if "interests" in fields:
        before, after = _interest_items(current), _interest_items(user)
        for key in before.keys() - after.keys():
            old_item = await ctx.store.get(Table.USERS, {"userId": key})
            if is_live(old_item):
                changes.delete(Table.USERS, old_item)
        for key in after.keys() - before.keys():
            existing = await ctx.store.get(Table.USERS, {"userId": key})
            changes.create(Table.USERS, after[key], replacing=existing)
    await changes.commit()
    return user


@retrying
async def verify_user(ctx: ServiceContext, user_id: str) -> Item:
    access.require_admin(ctx.require_viewer())
    current = await ctx.store.get(Table.USERS, {"userId": user_id})
    if not is_live(current):
        raise NotFound("no such user")
    if current.get("verified"):
        return current
    changes = Changes(ctx)
    user = changes.update(Table.USERS, current, {"verified": True})
    await changes.commit()
    return user


async def promote_to_admin(services: Services, email: str) -> Item:
    """Operator action (CLI): mark the account with this email as an admin."""
    ctx = ServiceContext(services, None)
    login = await ctx.store.get(Table.USERS, login_key(email))
    if not is_live(login):
        raise NotFound(f"no account with email {email}")
    current = await ctx.store.get(Table.USERS, {"userId": login["ownerId"]})
    if current is None:
        raise NotFound(f"no account with email {email}")
    changes = Changes(ctx)
    user = changes.update(Table.USERS, current, {"isAdmin": True})
    await changes.commit()
    return user


async def get_user_by_email(ctx: ServiceContext, email: str) -> Item | None:
    """Admins only: anyone else could test which emails have accounts."""
    access.require_admin(ctx.require_viewer())
    login = await ctx.store.get(Table.USERS, login_key(email))
    if not is_live(login):
        return None
    return await get_user(ctx, str(login["ownerId"]))


async def get_user_by_username(ctx: ServiceContext, username: str) -> Item | None:
    entry = await ctx.store.get(Table.USERS, username_key(username))
    if not is_live(entry):
        return None
    return await get_user(ctx, str(entry["ownerId"]))


async def list_users_by_role(ctx: ServiceContext, role: str, limit: int | None) -> list[Item]:
    """Mentees only for a signed-in caller (``profiles``)."""
    if ctx.viewer is None and role not in access.MENTOR_ROLES:
        return []
    items, _ = await query_live(ctx, Table.USERS, role, index="UsersByRole", limit=limit)
    return items


async def list_users_by_interest(
    ctx: ServiceContext, interest: str, limit: int | None
) -> list[Item]:
    entries, _ = await query_live(
        ctx, Table.USERS, interest.strip().lower(), index="UsersByInterest", limit=limit
    )
    users = await ctx.loaders.user.load_many([e["ownerId"] for e in entries])
    found = [u for u in users if u is not None]
    # a mentee's interests are personal: she is listed only for those who may see them
    seen = await asyncio.gather(*(profiles.can_see_field(ctx, u, "interests") for u in found))
    return [u for u, visible in zip(found, seen, strict=True) if visible]


async def list_mentees_for_mentor(
    ctx: ServiceContext, mentor_id: str, limit: int | None
) -> list[Item]:
    """Everyone who booked a session with, or assigned a goal to, this mentor."""
    viewer = ctx.require_viewer()
    access.require_self_or_admin(viewer, mentor_id, "a mentor's mentee list")
    sessions = await all_live(ctx, Table.SESSIONS, mentor_id, index="SessionsByMentor")
    goals = await all_live(ctx, Table.GOALS, mentor_id, index="GoalsByMentor")
    mentee_ids = list(
        dict.fromkeys([s["menteeId"] for s in sessions] + [g["userId"] for g in goals])
    )
    mentee_ids = mentee_ids[: clamp_limit(limit)]
    users = await ctx.loaders.user.load_many(mentee_ids)
    return [u for u in users if u is not None]
