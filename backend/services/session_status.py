"""Session status changes, each through ``domain.sessions.transition`` and one transaction.

Leaving PENDING/CONFIRMED frees the mentor's slot in the same transaction. Completing a
session also counts it for both participants (``totalSessions``, and ``inPersonSessions`` for
an in-person one) and awards the session badges they have now reached, each key once.
"""

from __future__ import annotations

from domain.badges import session_badges
from domain.sessions import SLOT_HOLDING_STATUSES, SessionStatus, SessionType, transition
from domain.text import check_text_length

from ..errors import NotFound
from ..storage.items import Item
from ..storage.tables import Table
from .badges import BADGE_KEYS_ATTR, award_badges, awarded_keys
from .context import ServiceContext
from .loaders import is_live
from .notify import ReaderText, notify
from .pages import all_live
from .sessions import read_session, starts_at
from .slots import read_ledger
from .writes import Changes, retrying

MAX_NOTES_LENGTH = 10_000
MAX_REASON_LENGTH = 1_000


async def _move(
    ctx: ServiceContext, session_id: str, target: SessionStatus
) -> tuple[Item, Changes, dict[str, object]]:
    """Read the session, check the move, and start the changes that free its slot if needed."""
    viewer = ctx.require_viewer()
    session = await read_session(ctx, session_id)
    transition(
        str(session["status"]),
        target,
        actor_is_mentor=viewer.user_id == session["mentorId"],
        actor_is_mentee=viewer.user_id == session["menteeId"],
        now=ctx.clock.now(),
        starts_at=starts_at(session),
    )
    changes = Changes(ctx)
    if target not in SLOT_HOLDING_STATUSES:
        ledger = await read_ledger(ctx, str(session["mentorId"]))
        if ledger.release(str(session["sessionId"])):
            ledger.write(changes)
    return session, changes, {"status": target.value}


@retrying
async def confirm_session(ctx: ServiceContext, session_id: str) -> Item:
    session, changes, fields = await _move(ctx, session_id, SessionStatus.CONFIRMED)
    updated = changes.update(Table.SESSIONS, session, fields)
    mentor = await ctx.loaders.user.load(str(session["mentorId"]))
    who = str(mentor["name"]) if mentor else "Your mentor"
    await notify(
        changes,
        user_id=str(session["menteeId"]),
        type="session_confirmed",
        title="Session confirmed",
        message=ReaderText(f"{who} confirmed your session on ", starts_at(session)),
        related_id=str(session["sessionId"]),
    )
    await changes.commit()
    return updated


@retrying
async def cancel_session(ctx: ServiceContext, session_id: str, reason: str | None) -> Item:
    check_text_length(reason, field="reason", max_length=MAX_REASON_LENGTH)
    session, changes, fields = await _move(ctx, session_id, SessionStatus.CANCELLED)
    fields["cancelReason"] = reason.strip() if reason and reason.strip() else None
    fields["cancelledAt"] = changes.now
    updated = changes.update(Table.SESSIONS, session, fields)
    await _tell_the_other_participant(ctx, changes, session, fields["cancelReason"])
    await changes.commit()
    return updated


async def _tell_the_other_participant(
    ctx: ServiceContext, changes: Changes, session: Item, reason: object
) -> None:
    """A mentor refusing a request declines it; any other cancellation is one. The other
    person hears of it, with the reason when one was given."""
    by_mentor = ctx.require_viewer().user_id == session["mentorId"]
    declined = by_mentor and session["status"] == SessionStatus.PENDING.value
    canceller = await ctx.loaders.user.load(ctx.require_viewer().user_id)
    who = str(canceller["name"]) if canceller else ("Your mentor" if by_mentor else "Your mentee")
    verb = "declined your request for" if declined else "cancelled the session on"
    await notify(
        changes,
        user_id=str(session["menteeId"] if by_mentor else session["mentorId"]),
        type="session_declined" if declined else "session_cancelled",
        title="Session request declined" if declined else "Session cancelled",
        message=ReaderText(f"{who} {verb} ", starts_at(session), f": {reason}." if reason else "."),
        related_id=str(session["sessionId"]),
    )


@retrying
async def mark_no_show(ctx: ServiceContext, session_id: str) -> Item:
    session, changes, fields = await _move(ctx, session_id, SessionStatus.NO_SHOW)
    updated = changes.update(Table.SESSIONS, session, fields)
    await changes.commit()
    return updated


@retrying
async def complete_session(ctx: ServiceContext, session_id: str, notes: str | None) -> Item:
    """CONFIRMED to COMPLETED, counted for both participants, with any session badges earned."""
    check_text_length(notes, field="notes", max_length=MAX_NOTES_LENGTH)
    session, changes, fields = await _move(ctx, session_id, SessionStatus.COMPLETED)
    fields.update({"completedAt": changes.now, "feedbackEligible": False})
    if notes is not None:
        fields["notes"] = notes.strip() or None
    updated = changes.update(Table.SESSIONS, session, fields)
    in_person = session["type"] == SessionType.IN_PERSON
    for user_id in (str(session["mentorId"]), str(session["menteeId"])):
        await _count_completed_session(ctx, changes, user_id, in_person=in_person)
    await changes.commit()
    return updated


async def _count_completed_session(
    ctx: ServiceContext, changes: Changes, user_id: str, *, in_person: bool
) -> None:
    """+1 completed session for the user, and the session badges that brings, in ``changes``."""
    user = await ctx.store.get(Table.USERS, {"userId": user_id})
    if not is_live(user):
        raise NotFound("a participant of this session no longer exists")
    total = int(user.get("totalSessions") or 0) + 1
    counts: dict[str, object] = {"totalSessions": total}
    if in_person:
        counts["inPersonSessions"] = int(user.get("inPersonSessions") or 0) + 1
    stored_badges = await all_live(ctx, Table.BADGES, user_id)
    known_keys = awarded_keys(user) | {str(b["key"]) for b in stored_badges if b.get("key")}
    # One write of the user item carries both the counts and the new badge keys: award_badges
    # writes the item it is given (under the version read), so it gets the counted copy.
    counted = {**user, **counts, BADGE_KEYS_ATTR: sorted(known_keys)}
    if not await award_badges(changes, counted, session_badges(total)):
        changes.update(Table.USERS, user, counts)
