from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.rounding import percent_of, round_half_up, round_half_up_int, to_decimal


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


def test_percent_of_rounds_exactly_like_the_decimal_rounding_of_the_float():
    """Every part of every whole up to 400 periods, and the half-way cases (1/8 = 12.5,
    1/16 = 6.25 -> 6.3, 3/16 = 18.75 -> 18.8) where a float-based round would differ."""
    for whole in range(1, 401):
        for part in range(whole + 1):
            assert percent_of(part, whole) == round_half_up(part * 100 / whole, 1), (part, whole)
    assert [percent_of(1, 8), percent_of(1, 16), percent_of(3, 16)] == [12.5, 6.3, 18.8]


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_percent_of_agrees_with_round_half_up_for_large_counts(part, whole):
    assert percent_of(part, whole) == round_half_up(part * 100 / whole, 1)
