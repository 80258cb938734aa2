"""Refresh-token rotation: one stored item per sign-in (a token family) holds its current
rotation, so each refresh token works once.

- Refreshing with the current token issues the next pair and moves the family on.
- The previous token, within ``GRACE`` of that rotation, gets the very same new pair again
  (its answer was lost, or two tabs raced): the tokens are re-encoded from the stored claims.
- Any other old token is a reuse, a sign that it leaked: the family is revoked, and every
  token of that sign-in stops refreshing.
- ``sign_out`` revokes the family. Access tokens already issued stay valid until they expire
  (at most 15 minutes); see docs/decisions.md.

The item lives in the Users table as ``#refresh#<family>``, a companion item like the login
item, so it never reaches the change feed. It expires with its newest token (``_ttl`` =
last rotation + ``REFRESH_TTL``): DynamoDB's time to live deletes it, the SQLite server's
purge job does, and until then a read treats an expired family as absent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeGuard

from ..auth.tokens import REFRESH_TTL, RefreshClaims, TokenPair
from ..errors import Unauthenticated
from ..storage.items import Item
from ..storage.tables import Table
from .context import ServiceContext
from .loaders import is_live
from .writes import Changes, retrying

GRACE = timedelta(seconds=30)
ENDED = "this sign-in has ended; sign in again"


def family_key(family: str) -> dict[str, str]:
    return {"userId": f"#refresh#{family}"}


async def start(ctx: ServiceContext, user: Item) -> TokenPair:
    """A new sign-in: a new family at rotation 0."""
    is_admin = bool(user.get("isAdmin"))
    pair = ctx.services.tokens.issue(user["userId"], is_admin=is_admin)
    changes = Changes(ctx)
    changes.create(
        Table.USERS,
        {
            **family_key(pair.family),
            "ownerId": user["userId"],
            "generation": pair.generation,
            "issuedAt": pair.issued_at,
            "isAdmin": is_admin,
        },
        expires=_expiry(pair.issued_at),
    )
    await changes.commit()
    return pair


@retrying
async def rotate(ctx: ServiceContext, token: str) -> tuple[TokenPair, Item]:
    claims = ctx.services.tokens.refresh_claims_of(token)
    now = int(ctx.clock.now().timestamp())
    current = await _live_family(ctx, claims, now)
    user = await ctx.store.get(Table.USERS, {"userId": claims.user_id})
    if not is_live(user):
        raise Unauthenticated("the account no longer exists")
    generation = int(current["generation"])
    tokens = ctx.services.tokens
    if claims.generation == generation:
        is_admin = bool(user.get("isAdmin"))
        pair = tokens.issue(
            claims.user_id,
            is_admin=is_admin,
            family=str(claims.family),
            generation=generation + 1,
            issued_at=now,
        )
        changes = Changes(ctx)
        changes.update(
            Table.USERS,
            current,
            {"generation": generation + 1, "issuedAt": now, "isAdmin": is_admin},
            expires=_expiry(now),
        )
        await changes.commit()
        return pair, user
    issued_at = int(current["issuedAt"])
    if claims.generation == generation - 1 and now - issued_at <= GRACE.total_seconds():
        again = tokens.issue(
            claims.user_id,
            is_admin=bool(current.get("isAdmin")),
            family=str(claims.family),
            generation=generation,
            issued_at=issued_at,
        )
        return again, user
    await _revoke(ctx, current)
    raise Unauthenticated("this refresh token was already used; " + ENDED)


@retrying
async def sign_out(ctx: ServiceContext, token: str) -> bool:
    """Revoke the sign-in ``token`` belongs to; signing out twice is fine."""
    claims = ctx.services.tokens.refresh_claims_of(token)
    if claims.family is not None:
        current = await ctx.store.get(Table.USERS, family_key(claims.family))
        now = int(ctx.clock.now().timestamp())
        if _is_current(current, claims, now):
            await _revoke(ctx, current)
    return True


def _expiry(issued_at: int) -> datetime:
    """When a family rotated at ``issued_at`` is of no more use: its newest token expires."""
    return datetime.fromtimestamp(issued_at, UTC) + REFRESH_TTL


def _is_current(current: Item | None, claims: RefreshClaims, now: int) -> TypeGuard[Item]:
    """The family is stored, not revoked, not expired (storage may lag in deleting it) and
    belongs to the token's user. One written before families expired has no ``_ttl``: its
    last rotation says when it ends all the same."""
    if not is_live(current) or current["ownerId"] != claims.user_id:
        return False
    ends = current.get("_ttl") or _expiry(int(current["issuedAt"])).timestamp()
    return int(ends) > now


async def _live_family(ctx: ServiceContext, claims: RefreshClaims, now: int) -> Item:
    if claims.family is None:
        raise Unauthenticated(ENDED)
    current = await ctx.store.get(Table.USERS, family_key(claims.family))
    if not _is_current(current, claims, now):
        raise Unauthenticated(ENDED)
    return current


async def _revoke(ctx: ServiceContext, current: Item) -> None:
    changes = Changes(ctx)
    changes.delete(Table.USERS, current)
    await changes.commit()
