"""Turn strings from the API or storage into enum members, naming the field when they are wrong."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from domain.errors import RuleViolation

E = TypeVar("E", bound=Enum)


def parse_choice(enum_type: type[E], value: object, field: str) -> E:
    """Return the member of `enum_type` whose value is `value`, else RuleViolation on `field`."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum_type)
        raise RuleViolation(f"{value!r} is not one of: {allowed}", field=field) from None
