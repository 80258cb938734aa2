"""Turn strings from the API or storage into enum members, naming the field when they are wrong."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from domain.errors import RuleViolation

E = TypeVar("E", bound=Enum)


_MEMBERS: dict[type[Enum], dict[object, Enum]] = {}
"""Per enum, its members by value: a lookup here costs a tenth of calling the enum (a
dashboard request parses a habit's frequency a few dozen times)."""


def parse_choice(enum_type: type[E], value: object, field: str) -> E:
    """Return the member of `enum_type` whose value is `value`, else RuleViolation on `field`."""
    if isinstance(value, enum_type):
        return value
    members = _MEMBERS.get(enum_type)
    if members is None:
        members = _MEMBERS[enum_type] = {member.value: member for member in enum_type}
    try:
        member = members.get(value)
    except TypeError:  # unhashable: no member's value
        member = None
    if member is None:
        allowed = ", ".join(str(member.value) for member in enum_type)
        raise RuleViolation(f"{value!r} is not one of: {allowed}", field=field) from None
    return member  # type: ignore[return-value]
