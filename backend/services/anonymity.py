"""Anonymous session feedback: the stand-in user shown instead of a hidden mentee.

When a mentee submits feedback with ``isAnonymous``, nobody but that mentee may learn who
wrote it: the feedback's ``mentee``, the ``session`` reached through it, and the review the
feedback creates all show this placeholder instead of the real user (see ``access``).
"""

from __future__ import annotations

from typing import Any

from ..storage.items import Item, ItemView

ANONYMOUS_USER_ID = "anonymous"
_EPOCH = "1970-01-01T00:00:00.000000Z"
HIDDEN_MENTEE_FLAG = "_menteeHidden"
"""Set on a session copy reached through anonymous feedback: its ``mentee`` is the placeholder."""


def anonymous_user() -> Item:
    """A complete ``User`` (every non-null field filled) that tells nothing about anyone."""
    return {
        "userId": ANONYMOUS_USER_ID,
        "email": "",
        "username": "anonymous",
        "name": "Anonymous",
        "role": "MENTEE",
        "skills": [],
        "interests": [],
        "membershipTier": "standard",
        "verified": False,
        "rating": 0.0,
        "totalSessions": 0,
        "inPersonSessions": 0,
        "mentorshipCategories": [],
        "timeZone": "UTC",
        "createdAt": _EPOCH,
        "updatedAt": _EPOCH,
    }


def session_with_hidden_mentee(session: ItemView) -> dict[str, Any]:
    """A copy of ``session`` whose ``mentee`` field resolves to the placeholder."""
    return {**session, HIDDEN_MENTEE_FLAG: True}


def hides_session_mentee(session: ItemView) -> bool:
    return bool(session.get(HIDDEN_MENTEE_FLAG))
