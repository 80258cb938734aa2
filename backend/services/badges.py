"""Badges: awarding them inside the change that earns them, and listing them.

The rules of which badge is earned live in ``domain.badges``; this module stores them. Each
award key (``streak:7``) is given once per user: the keys already awarded are kept on the
user's item as ``badgeKeys`` and updated in the same transaction as the new badges, so two
requests racing to award the same badge cannot both win (the version condition makes one of
them retry, and the retry sees the key). A ``badge_earned`` notification goes with each badge.

The Badges table is keyed (userId, earnedAt), so ``earnedAt`` must be unique per user
(``instants.next_instant``); badges earned together get consecutive microseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from domain.badges import BadgeAward, BadgeType, badges_to_award
from domain.choices import parse_choice
from domain.clock import utc_iso

from ..storage.items import Item
from ..storage.tables import Table
from . import access
from .context import ServiceContext
from .instants import next_instant
from .notify import notify
from .pages import query_live
from .writes import Changes

BADGE_KEYS_ATTR = "badgeKeys"


def awarded_keys(user: Item) -> set[str]:
    """The award keys the user already holds."""
    return set(user.get(BADGE_KEYS_ATTR) or [])


async def award_badges(
    changes: Changes,
    user: Item,
    *candidates: BadgeAward | Iterable[BadgeAward] | None,
) -> list[Item]:
    """Queue the candidates the user does not hold yet into ``changes``; returns the badges.

    ``user`` must be the user's item as read from the store (strongly consistent): it is
    updated with the new keys under its version condition. Call at most once per user and
    ``changes``.
    """
    awards = badges_to_award(awarded_keys(user), *candidates)
    if not awards:
        return []
    user_id = str(user["userId"])
    earned_at = await next_instant(changes, Table.BADGES, user_id)
    badges: list[Item] = []
    for award in awards:
        badge = changes.create(
            Table.BADGES,
            {
                "userId": user_id,
                "earnedAt": utc_iso(earned_at),
                "badgeId": str(uuid.uuid4()),
                "key": award.key,
                "type": award.type.value,
                "title": award.title,
                "description": award.description,
                "icon": award.icon,
                "metadata": dict(award.metadata),
            },
        )
        badges.append(badge)
        await notify(
            changes,
            user_id=user_id,
            type="badge_earned",
            title=f"New badge: {award.title}",
            message=award.description,
            related_id=badge["badgeId"],
        )
        earned_at += timedelta(microseconds=1)
    keys = sorted(awarded_keys(user) | {a.key for a in awards})
    changes.update(Table.USERS, user, {BADGE_KEYS_ATTR: keys})
    return badges


async def list_badges_for_user(ctx: ServiceContext, user_id: str, limit: int | None) -> list[Item]:
    """Badges are public achievements: any signed-in user may list anyone's, newest first."""
    ctx.require_viewer()
    items, _ = await query_live(ctx, Table.BADGES, user_id, ascending=False, limit=limit)
    return items


async def list_badges_by_type(ctx: ServiceContext, type: str, limit: int | None) -> list[Item]:
    access.require_admin(ctx.require_viewer())
    badge_type = parse_choice(BadgeType, type, "type")
    items, _ = await query_live(
        ctx, Table.BADGES, badge_type.value, index="BadgesByType", ascending=False, limit=limit
    )
    return items
