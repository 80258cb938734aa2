"""Session ratings and a user's average rating.

In-person sessions get a +0.2 bonus (spec) to reward meeting face to face; the bonus never
lifts a rating above the 5.0 ceiling.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from domain.choices import parse_choice
from domain.errors import RuleViolation
from domain.rounding import round_half_up, to_decimal
from domain.sessions import SessionType
from domain.text import check_text_length

MIN_RATING = 1
MAX_RATING = 5
IN_PERSON_BONUS = Decimal("0.2")
MAX_REVIEW_COMMENT = 5_000


def validate_rating(rating: float, field: str = "rating") -> None:
    """A rating is 1 to 5 inclusive."""
    if not MIN_RATING <= rating <= MAX_RATING:
        raise RuleViolation(
            f"rating must be {MIN_RATING} to {MAX_RATING}, got {rating}", field=field
        )


def checked_review(rating: object, comment: object) -> tuple[int, str | None]:
    """A review's rating (a whole number 1 to 5) and its comment, trimmed (blank is none);
    the same rule on the device, before sending, and on the server."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise RuleViolation("rating is a whole number 1 to 5", field="rating")
    validate_rating(rating)
    if comment is not None and not isinstance(comment, str):
        raise RuleViolation("comment is text", field="comment")
    check_text_length(comment, field="comment", max_length=MAX_REVIEW_COMMENT)
    return rating, (comment.strip() or None) if comment is not None else None


def session_rating_with_bonus(rating: float, session_type: str) -> float:
    """The rating a session counts for: +0.2 if in person, capped at 5.0."""
    validate_rating(rating)
    value = to_decimal(rating)
    if parse_choice(SessionType, session_type, "type") is SessionType.IN_PERSON:
        value = min(value + IN_PERSON_BONUS, Decimal(MAX_RATING))
    return round_half_up(value, 2)


def aggregate_rating(ratings: Iterable[float]) -> float:
    """Mean of `ratings` rounded to 2 decimals; 0.0 when there are none (a new user)."""
    values = [to_decimal(rating) for rating in ratings]
    for value in values:
        validate_rating(float(value))
    if not values:
        return 0.0
    return round_half_up(sum(values, Decimal(0)) / len(values), 2)
