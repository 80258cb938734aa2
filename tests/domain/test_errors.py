import pytest

from domain.errors import Conflict, DomainError, InvalidTransition, NotAllowed, RuleViolation


@pytest.mark.parametrize(
    ("error_type", "code"),
    [
        (RuleViolation, "BAD_USER_INPUT"),
        (NotAllowed, "FORBIDDEN"),
        (Conflict, "CONFLICT"),
        (InvalidTransition, "CONFLICT"),
    ],
)
def test_each_error_carries_its_api_code(error_type, code):
    assert error_type.code == code
    assert issubclass(error_type, DomainError)


def test_rule_violation_names_the_field():
    error = RuleViolation("must not be empty", field="title")
    assert error.field == "title"
    assert error.message == "must not be empty"
    assert str(error) == "must not be empty"


def test_other_errors_have_no_field_by_default():
    assert NotAllowed("no").field is None
    assert Conflict("full").field is None


def test_invalid_transition_is_a_conflict_that_describes_the_move():
    error = InvalidTransition("session", "CANCELLED", "COMPLETED", "already cancelled")
    assert isinstance(error, Conflict)
    assert (error.entity, error.current, error.target) == ("session", "CANCELLED", "COMPLETED")
    assert str(error) == "session cannot go from CANCELLED to COMPLETED: already cancelled"


def test_invalid_transition_without_reason_has_a_plain_message():
    assert str(InvalidTransition("goal", "archived", "active")) == (
        "goal cannot go from archived to active"
    )
