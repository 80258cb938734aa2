"""A mentor's reviews on the device, and the mentee's own review of her mentor.

Reviews are public but not synced (the protocol sends a user only her own circle), so they are
read online (``listReviewsForTarget``) and kept per mentor in a device setting with the time
they were fetched: a profile shows them offline, marked with that time, like the directory.
Writing a review needs a connection; offline the screen says so and keeps the draft. The spec
keys a review by author and target, so a mentee has one review per mentor: writing again
replaces it (the form starts from it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from domain.clock import parse_utc, utc_iso
from domain.ratings import checked_review

from . import online
from .context import UserContext

SETTING_PREFIX = "mentor_reviews:"
"""Device setting per mentor: ``{"fetchedAt": <UTC ISO> | None, "reviews": [<Review>, ...]}``."""
ANONYMOUS_AUTHOR = "anonymous"
"""The author id the server shows for a review made from anonymous feedback."""


@dataclass(frozen=True)
class ReviewItem:
    review_id: str
    author: str
    """The author's name, or "Anonymous"."""
    rating: int
    comment: str
    date_label: str
    """When it was last written, "24 Nov 2026" in the reader's zone."""
    mine: bool


@dataclass(frozen=True)
class MentorReviews:
    reviews: tuple[ReviewItem, ...]
    """Newest first."""
    fetched_at: str | None
    """When they were last fetched online (UTC ISO), ``None`` if never."""
    my_rating: int | None
    my_comment: str
    """My own review of this mentor, to start the form from (``None``: not written yet)."""


def _setting(mentor_id: str) -> str:
    return SETTING_PREFIX + mentor_id


def _cached(user: UserContext, mentor_id: str) -> tuple[list[dict[str, Any]], str | None]:
    cached = user.store.setting(_setting(mentor_id)) or {}
    return list(cached.get("reviews") or []), cached.get("fetchedAt")


def _item(row: Mapping[str, Any], user: UserContext) -> ReviewItem:
    author = row.get("author") or {}
    author_id = str(author.get("userId") or "")
    anonymous = author_id == ANONYMOUS_AUTHOR
    written = parse_utc(str(row.get("updatedAt") or row["createdAt"]))
    local = written.astimezone(ZoneInfo(user.time_zone))
    return ReviewItem(
        review_id=str(row["reviewId"]),
        author="Anonymous" if anonymous else str(author.get("name") or "A member"),
        rating=int(row.get("rating") or 0),
        comment=str(row.get("comment") or ""),
        date_label=f"{local:%-d %b %Y}",
        mine=author_id == user.user_id,
    )


def load_reviews(user: UserContext, mentor_id: str) -> MentorReviews:
    """The mentor's reviews as last fetched on this device."""
    rows, fetched_at = _cached(user, mentor_id)
    rows.sort(key=lambda r: str(r.get("updatedAt") or r.get("createdAt") or ""), reverse=True)
    items = tuple(_item(row, user) for row in rows)
    mine = next((r for r in items if r.mine), None)
    return MentorReviews(
        reviews=items,
        fetched_at=fetched_at,
        my_rating=mine.rating if mine else None,
        my_comment=mine.comment if mine else "",
    )


def cache_reviews(user: UserContext, mentor_id: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Keep the reviews fetched online, stamped with the clock's now."""
    user.store.put_setting(
        _setting(mentor_id),
        {"fetchedAt": utc_iso(user.clock.now()), "reviews": [dict(r) for r in rows]},
    )


async def refresh_reviews(user: UserContext, mentor_id: str) -> None:
    """Fetch the mentor's reviews online and keep them (``online.Unreachable`` offline: the
    last ones stay, with their time)."""
    rows = await online.signed_in(
        user.store, lambda url, token: online.fetch_reviews(url, token, mentor_id)
    )
    cache_reviews(user, mentor_id, rows)


@dataclass(frozen=True)
class ReviewDraft:
    """What the mentee writes about her mentor; the screen keeps it while offline."""

    rating: int = 5
    comment: str = ""

    def as_input(self, mentor_id: str) -> dict[str, Any]:
        """``ReviewInput``, checked by the rule the server applies (``RuleViolation`` names
        the field) before anything is sent."""
        rating, comment = checked_review(self.rating, self.comment)
        return {"targetId": mentor_id, "rating": rating, "comment": comment, "type": "GENERAL"}


async def send_review(user: UserContext, mentor_id: str, draft: ReviewDraft) -> None:
    """Write (or replace) my review of the mentor online and put it in the kept list at
    once; ``online.Unreachable`` offline and ``online.Refused`` when the server says no."""
    fields = draft.as_input(mentor_id)
    saved = await online.signed_in(
        user.store, lambda url, token: online.upsert_review(url, token, fields)
    )
    rows, fetched_at = _cached(user, mentor_id)
    rows = [r for r in rows if r.get("reviewId") != saved["reviewId"]] + [saved]
    user.store.put_setting(_setting(mentor_id), {"fetchedAt": fetched_at, "reviews": rows})
