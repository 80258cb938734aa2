from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import Conflict, NotAllowed, RuleViolation
from domain.feedback import validate_session_feedback

COMPLETED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
GOOD_TEXTS = {
    "growthArea": "Public speaking",
    "growthIdea": "Record a 2-minute talk every week",
    "whatWentWell": "Clear examples",
    "whatToImprove": "More time for questions",
    "additionalComments": None,
}


def submit(**overrides):
    arguments = {
        "actor_is_mentee": True,
        "session_status": "COMPLETED",
        "feedback_submitted": False,
        "completed_at": COMPLETED_AT,
        "now": COMPLETED_AT + timedelta(days=2),
        "rating": 5,
        "texts": dict(GOOD_TEXTS),
    }
    arguments.update(overrides)
    validate_session_feedback(**arguments)


def test_valid_feedback_passes():
    submit()


def test_only_the_mentee_gives_feedback():
    with pytest.raises(NotAllowed):
        submit(actor_is_mentee=False)


@pytest.mark.parametrize("status", ["PENDING", "CONFIRMED", "CANCELLED", "NO_SHOW"])
def test_feedback_needs_a_completed_session(status):
    with pytest.raises(Conflict):
        submit(session_status=status)


def test_feedback_is_given_once():
    with pytest.raises(Conflict, match="already"):
        submit(feedback_submitted=True)


def test_completed_session_without_completion_time_is_a_conflict():
    with pytest.raises(Conflict):
        submit(completed_at=None)


def test_feedback_outside_the_window_is_refused():
    with pytest.raises(RuleViolation, match="opens"):
        submit(now=COMPLETED_AT + timedelta(hours=1))
    with pytest.raises(RuleViolation, match="closed"):
        submit(now=COMPLETED_AT + timedelta(days=8))


@pytest.mark.parametrize("rating", [0, 6, 4.5, True])
def test_feedback_rating_is_a_whole_number_1_to_5(rating):
    with pytest.raises(RuleViolation) as caught:
        submit(rating=rating)
    assert caught.value.field == "rating"


@pytest.mark.parametrize("name", ["growthArea", "growthIdea", "whatWentWell", "whatToImprove"])
@pytest.mark.parametrize("value", [None, "", "  \n"])
def test_required_texts_must_not_be_blank(name, value):
    with pytest.raises(RuleViolation) as caught:
        submit(texts={**GOOD_TEXTS, name: value})
    assert caught.value.field == name


def test_additional_comments_are_capped():
    with pytest.raises(RuleViolation) as caught:
        submit(texts={**GOOD_TEXTS, "additionalComments": "x" * 10_001})
    assert caught.value.field == "additionalComments"
    submit(texts={**GOOD_TEXTS, "additionalComments": "x" * 10_000})
