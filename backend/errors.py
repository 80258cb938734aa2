"""Errors the backend adds to the domain's: each carries the GraphQL ``extensions.code``.

DomainError (domain/errors.py)
├── RuleViolation       BAD_USER_INPUT   (domain)
├── NotAllowed          FORBIDDEN        (domain)
├── Conflict            CONFLICT         (domain)
│   └── WriteConflict                    the item changed while we worked: retried
├── NotFound            NOT_FOUND
├── Unauthenticated     UNAUTHENTICATED
└── TooManyRequests     TOO_MANY_REQUESTS  (extensions.retryAfter: seconds to wait)
"""

from __future__ import annotations

from typing import ClassVar

from domain.errors import Conflict, DomainError
from protocol.errors import ErrorCode


class NotFound(DomainError):
    """The item does not exist (or was deleted)."""

    code: ClassVar[str] = ErrorCode.NOT_FOUND


class Unauthenticated(DomainError):
    """No valid access token came with a request that needs one."""

    code: ClassVar[str] = ErrorCode.UNAUTHENTICATED


class WriteConflict(Conflict):
    """An item changed between our read and our conditional write; the operation is retried."""


class TooManyRequests(DomainError):
    """Too many attempts (sign-in guessing); ``retry_after_seconds`` says when to try again."""

    code: ClassVar[str] = ErrorCode.TOO_MANY_REQUESTS

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
