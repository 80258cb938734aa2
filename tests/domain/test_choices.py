from enum import StrEnum

import pytest

from domain.choices import parse_choice
from domain.errors import RuleViolation


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def test_parses_a_known_value_into_its_member():
    assert parse_choice(Colour, "red", "colour") is Colour.RED


def test_keeps_a_member_as_is():
    assert parse_choice(Colour, Colour.BLUE, "colour") is Colour.BLUE


@pytest.mark.parametrize("value", ["RED", "green", "", None, 3])
def test_unknown_value_is_a_rule_violation_on_the_field(value):
    with pytest.raises(RuleViolation) as caught:
        parse_choice(Colour, value, "colour")
    assert caught.value.field == "colour"
    assert "red, blue" in caught.value.message
