"""Session feedback: only the mentee of a completed session, once, inside the feedback window."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.choices import parse_choice
from domain.errors import Conflict, NotAllowed, RuleViolation
from domain.sessions import SessionStatus, check_feedback_window
from domain.text import check_text_length, require_text

REQUIRED_FEEDBACK_TEXTS = ("growthArea", "growthIdea", "whatWentWell", "whatToImprove")


def validate_session_feedback(
    *,
    actor_is_mentee: bool,
    session_status: str,
    feedback_submitted: bool,
    completed_at: datetime | None,
    now: datetime,
    rating: int,
    texts: Mapping[str, str | None],
) -> None:
    """Check a feedback submission; `texts` maps the input's text fields by API name.

    Checks run from who, to state, to content, so the most fundamental problem is reported.
    """
    if not actor_is_mentee:
        raise NotAllowed("only the session's mentee may give feedback")
    if parse_choice(SessionStatus, session_status, "status") is not SessionStatus.COMPLETED:
        raise Conflict("feedback is only for completed sessions")
    if feedback_submitted:
        raise Conflict("feedback was already submitted for this session")
    if completed_at is None:
        raise Conflict("the session has no completion time")
    check_feedback_window(completed_at, now)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise RuleViolation(f"rating must be a whole number 1 to 5, got {rating!r}", field="rating")
    for name in REQUIRED_FEEDBACK_TEXTS:
        require_text(texts.get(name), field=name)
    check_text_length(texts.get("additionalComments"), field="additionalComments")
