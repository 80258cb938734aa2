"""Free-text input rules shared by reflections and feedback: required means non-blank, and
every text has a length cap so one entry cannot bloat a sync batch."""

from __future__ import annotations

from domain.errors import RuleViolation

MAX_TEXT_LENGTH = 10_000


def check_text_length(value: str | None, *, field: str, max_length: int = MAX_TEXT_LENGTH) -> None:
    """Optional text: fine when absent, too long is refused."""
    if value is not None and len(value) > max_length:
        raise RuleViolation(f"must be at most {max_length} characters", field=field)


def require_text(value: object, *, field: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Required text: a string that is not blank and not too long; returns it unchanged."""
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation("must not be empty", field=field)
    check_text_length(value, field=field, max_length=max_length)
    return value
