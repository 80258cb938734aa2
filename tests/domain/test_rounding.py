from decimal import Decimal

import pytest

from domain.rounding import round_half_up, round_half_up_int, to_decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (2.675, 2, 2.68),  # round() gives 2.67 because of the binary float
        (0.125, 2, 0.13),
        (0.124, 2, 0.12),
        (66.65, 1, 66.7),
        (-1.005, 2, -1.01),
        (Decimal("16.6666"), 2, 16.67),
        (5, 2, 5.0),
    ],
)
def test_rounds_half_up_on_the_printed_decimal(value, places, expected):
    assert round_half_up(value, places) == expected


@pytest.mark.parametrize(("value", "expected"), [(0.5, 1), (1.5, 2), (2.5, 3), (2.49, 2)])
def test_rounds_half_up_to_whole_numbers(value, expected):
    assert round_half_up_int(value) == expected


def test_to_decimal_uses_the_shortest_repr_of_a_float():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(7) == Decimal(7)
