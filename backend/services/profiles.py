"""Who sees which field of a profile (issue 10, finding 6).

- Everyone signed in: the spec's public fields (``name``, ``avatar``, ``bio``, ``rating``) and
  what the contract makes non-null and tells nothing personal (``userId``, ``username``,
  ``role``, ``membershipTier``, ``verified``, session counts, timestamps).
- A mentor's directory fields (``title``, ``skills``, ``interests``, ``location``,
  ``mentorshipCategories``): everyone, signed out too: that is how mentees find a mentor.
- Personal fields (``email``, ``timeZone``; for a mentee also ``location``, ``interests``,
  ``title``, ``skills``, ``mentorshipCategories``): the user herself, admins, and her circle:
  anyone who shares a session with her (either side, any status) or is the mentor of one of
  her goals, or whose goal she mentors.
- Signed-out callers get nothing of a mentee (``None``; left out of lists; the anonymous
  placeholder where the contract needs a user, e.g. an event's host).

A hidden field reads as ``None``, an empty list, or ``""`` for the non-null strings
(``email``, ``timeZone``).
"""

from __future__ import annotations

import asyncio

from ..storage.items import Item, ItemView
from ..storage.tables import Table
from . import access
from .anonymity import anonymous_user
from .context import ServiceContext
from .pages import all_live

MENTOR_DIRECTORY_FIELDS = frozenset(
    {"title", "skills", "interests", "location", "mentorshipCategories"}
)
PERSONAL_FIELDS = frozenset({"email", "timeZone"}) | MENTOR_DIRECTORY_FIELDS
"""Fields only the user's circle sees (a mentor's directory fields excepted)."""


def is_listed_for(ctx: ServiceContext, user: ItemView) -> bool:
    """Whether the caller may see this profile at all: a mentee only when signed in."""
    return ctx.viewer is not None or access.is_mentor(user)


def shown_user(ctx: ServiceContext, user: Item | None) -> Item | None:
    """``user`` where the contract needs a user, or the anonymous placeholder where the caller
    may see nothing of her (a mentee hosting a public event, to a signed-out caller)."""
    if user is None or is_listed_for(ctx, user):
        return user
    return anonymous_user()


async def can_see_field(ctx: ServiceContext, user: ItemView, field: str) -> bool:
    if field not in PERSONAL_FIELDS:
        return is_listed_for(ctx, user)
    if field in MENTOR_DIRECTORY_FIELDS and access.is_mentor(user):
        return True
    return await is_in_circle(ctx, str(user["userId"]))


def answer_to_own_sign_in(ctx: ServiceContext, user_id: str) -> None:
    """The user a sign-in, sign-up or refresh answers with is seen as by herself: she proved
    who she is, though this request carried no token yet."""
    ctx.memo[("signed-in-as", user_id)] = True


async def is_in_circle(ctx: ServiceContext, user_id: str) -> bool:
    """The user herself, an admin, or someone she has a session or a mentored goal with."""
    if ctx.memo.get(("signed-in-as", user_id)):
        return True
    viewer = ctx.viewer
    if viewer is None:
        return False
    if viewer.user_id == user_id or viewer.is_admin:
        return True
    key = ("profile-circle", viewer.user_id)
    task = ctx.memo.get(key)
    if task is None:
        task = ctx.memo[key] = asyncio.ensure_future(_circle_of(ctx, viewer.user_id))
    circle: frozenset[str] = await task
    return user_id in circle


ACCEPTED_STATUSES = frozenset({"CONFIRMED", "COMPLETED", "NO_SHOW"})
"""A session the mentor has confirmed: from then on its mentee sees the mentor's fields."""


async def _circle_of(ctx: ServiceContext, viewer_id: str) -> frozenset[str]:
    """Whose personal fields the viewer sees: only relations the other side made or accepted,
    so nobody can make one up: the mentees who booked her or chose her as a goal's mentor, and
    the mentors who confirmed her bookings. (Naming someone as one's own goal's mentor, or a
    booking request, gives nothing.)"""
    as_mentor, as_mentee, mentored = await asyncio.gather(
        all_live(ctx, Table.SESSIONS, viewer_id, index="SessionsByMentor"),
        all_live(ctx, Table.SESSIONS, viewer_id, index="SessionsByMentee"),
        all_live(ctx, Table.GOALS, viewer_id, index="GoalsByMentor"),
    )
    people = (
        [s.get("menteeId") for s in as_mentor]
        + [s.get("mentorId") for s in as_mentee if s.get("status") in ACCEPTED_STATUSES]
        + [g.get("userId") for g in mentored]
    )
    return frozenset(str(p) for p in people if p)
