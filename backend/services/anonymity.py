"""Anonymous session feedback: the stand-ins shown instead of a hidden mentee and session.

When a mentee submits feedback with ``isAnonymous``, nobody but that mentee may pair it with
her: the feedback's ``mentee`` and the review it creates (keyed by ``anonymous_author``, so
nobody's, not even hers) show the placeholder user, the
``session`` reached through it is a stand-in (``detached_session``), the real session neither
shows it nor the rating and review it carried, and the sync feed gives the mentor a copy keyed
by the feedback instead of the session (``changefeed.wire``).
"""

from __future__ import annotations

from ..storage.items import Item, ItemView

ANONYMOUS_USER_ID = "anonymous"
_EPOCH = "1970-01-01T00:00:00.000000Z"


def anonymous_author(feedback: ItemView) -> str:
    """The ``authorId`` of the review anonymous feedback makes: not the mentee's id, so the
    review neither replaces her named review of the mentor (nor is replaced by her next one),
    which would pair them, nor sorts next to her id."""
    return f"{ANONYMOUS_USER_ID}#{feedback['feedbackId']}"


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


def detached_session(feedback: ItemView) -> Item:
    """The ``Session`` an anonymous feedback's mentor sees through it: the real session would
    name the mentee (and its date and time would), so this complete stand-in keeps only what
    the mentor knows anyway: it was theirs and it was completed. Its ``mentee`` is the
    placeholder (``resolve_session_mentee`` sees the ``anonymous`` id)."""
    return {
        "sessionId": ANONYMOUS_USER_ID,
        "mentorId": feedback["mentorId"],
        "menteeId": ANONYMOUS_USER_ID,
        "type": "virtual",
        "date": "",
        "time": "",
        "duration": 0,
        "status": "COMPLETED",
        "price": 0.0,
        "feedbackSubmitted": True,
        "createdAt": _EPOCH,
        "updatedAt": _EPOCH,
    }


def is_detached(session: ItemView) -> bool:
    return session.get("sessionId") == ANONYMOUS_USER_ID
