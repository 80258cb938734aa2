"""Half-up rounding, so prices and rates round the way people expect (2.675 -> 2.68).

Python's round() uses banker's rounding on the binary float, which gives 2.67 for 2.675.
Floats are converted through their shortest repr so the decimal the user sees is the one
that gets rounded.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Exact decimal of what the float prints as (0.1 -> Decimal("0.1"))."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def round_half_up(value: float | int | Decimal, places: int) -> float:
    """`value` rounded half-up to `places` decimals, as a float."""
    quantum = Decimal(1).scaleb(-places)
    return float(to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))


def round_half_up_int(value: float | int | Decimal) -> int:
    """`value` rounded half-up to a whole number."""
    return int(to_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(part: int, whole: int) -> float:
    """``part`` as a percent of ``whole`` (> 0), rounded half-up to 1 decimal, exactly: in
    integers, the same as ``round_half_up(part * 100 / whole, 1)`` and a few times cheaper
    (a dashboard rounds each habit's completion rate)."""
    tenths = (part * 2000 + whole) // (2 * whole)  # floor(part * 1000 / whole + 1/2)
    return tenths / 10
