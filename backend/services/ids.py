"""Item ids: UUID strings, client-supplied where an input has one, else new ones."""

from __future__ import annotations

import uuid

from domain.errors import RuleViolation


def is_uuid(value: object) -> bool:
    """Whether ``value`` is a UUID in its canonical string form."""
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def require_uuid(value: object, field: str) -> str:
    """``value`` if it is a UUID string, else ``RuleViolation`` on ``field``."""
    if not is_uuid(value):
        raise RuleViolation("must be a UUID", field=field)
    return str(value)


def given_or_new_id(value: object, field: str) -> str:
    """The client's id (checked to be a UUID) or a new UUID when none was given."""
    return str(uuid.uuid4()) if value is None else require_uuid(value, field)
