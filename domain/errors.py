"""Errors raised when a business rule is broken.

Each class carries the API error code the GraphQL layer should report, so the server and
the device client translate a broken rule the same way::

    DomainError                 code "DOMAIN_ERROR"   (base; never raised directly)
    ├── RuleViolation           code "BAD_USER_INPUT" the input breaks a rule; `field` names it
    ├── NotAllowed              code "FORBIDDEN"      the actor may not do this
    └── Conflict                code "CONFLICT"       the current state forbids it
        └── InvalidTransition                         a status change the state machine refuses

Programming mistakes (a naive datetime, a negative count) raise the built-in ValueError,
not a DomainError: they are bugs to fix, not answers to show a user.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """Base of every broken-rule error; `code` is the API error code."""

    code: ClassVar[str] = "DOMAIN_ERROR"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RuleViolation(DomainError):
    """The input breaks a business rule; `field` is the input field (API spelling) at fault."""

    code: ClassVar[str] = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)


class NotAllowed(DomainError):
    """The actor is not the one the rule lets do this (e.g. a mentee confirming a session)."""

    code: ClassVar[str] = "FORBIDDEN"


class Conflict(DomainError):
    """The request is valid on its own but clashes with the current state (e.g. a full event)."""

    code: ClassVar[str] = "CONFLICT"


class InvalidTransition(Conflict):
    """A status change that the entity's state machine does not allow from its current status."""

    def __init__(self, entity: str, current: str, target: str, reason: str | None = None) -> None:
        message = f"{entity} cannot go from {current} to {target}"
        if reason:
            message = f"{message}: {reason}"
        super().__init__(message)
        self.entity = entity
        self.current = current
        self.target = target
