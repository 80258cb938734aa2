import pytest

from domain.errors import RuleViolation
from domain.ratings import aggregate_rating, checked_review, session_rating_with_bonus


@pytest.mark.parametrize(
    ("rating", "session_type", "expected"),
    [
        (4, "in_person", 4.2),
        (4.5, "in_person", 4.7),
        (1, "in_person", 1.2),
        (4.8, "in_person", 5.0),  # exactly reaches the cap
        (4.9, "in_person", 5.0),  # capped
        (5, "in_person", 5.0),
        (4, "virtual", 4.0),
        (5, "virtual", 5.0),
        (1, "virtual", 1.0),
    ],
)
def test_in_person_sessions_get_a_capped_bonus(rating, session_type, expected):
    assert session_rating_with_bonus(rating, session_type) == expected


@pytest.mark.parametrize("rating", [0, 0.99, 5.01, 6, -1])
def test_rating_outside_1_to_5_is_refused(rating):
    with pytest.raises(RuleViolation) as caught:
        session_rating_with_bonus(rating, "virtual")
    assert caught.value.field == "rating"


def test_unknown_session_type_is_refused():
    with pytest.raises(RuleViolation) as caught:
        session_rating_with_bonus(4, "phone")
    assert caught.value.field == "type"


def test_aggregate_rating_of_nothing_is_zero():
    assert aggregate_rating([]) == 0.0


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([5], 5.0),
        ([4, 5], 4.5),
        ([4.2, 5, 3], 4.07),  # 4.0666...
        ([1, 2, 2], 1.67),  # 1.666...
        ([4.125, 4.125], 4.13),  # half-up, not banker's
    ],
)
def test_aggregate_rating_is_the_mean_rounded_to_two_decimals(ratings, expected):
    assert aggregate_rating(ratings) == expected


def test_aggregate_rating_accepts_a_generator():
    assert aggregate_rating(r for r in (3, 4)) == 3.5


def test_aggregate_rating_refuses_out_of_range_values():
    with pytest.raises(RuleViolation):
        aggregate_rating([4, 7])


@pytest.mark.parametrize(
    ("rating", "comment", "field"),
    [
        (0, None, "rating"),
        (6, None, "rating"),
        (4.5, None, "rating"),
        (True, None, "rating"),
        ("5", None, "rating"),
        (5, "x" * 5001, "comment"),
        (5, 7, "comment"),
    ],
)
def test_a_review_needs_a_whole_rating_1_to_5_and_a_comment_of_at_most_5000(rating, comment, field):
    with pytest.raises(RuleViolation) as refused:
        checked_review(rating, comment)
    assert refused.value.field == field


def test_a_review_comment_is_trimmed_and_blank_is_none():
    assert checked_review(1, "  Kind and clear  ") == (1, "Kind and clear")
    assert checked_review(5, "   ") == (5, None)
    assert checked_review(5, None) == (5, None)
    assert checked_review(5, "x" * 5000)[1] == "x" * 5000
