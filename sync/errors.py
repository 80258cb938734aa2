"""Errors of the sync package.

SyncError
├── RetryableError    the network, a timeout, a 5xx or a transient server error: the outbox
│   │                 is kept and the same mutation ids are sent again after a backoff
│   └── Throttled     TOO_MANY_REQUESTS: wait ``retry_after_seconds`` (sign-in guessing)
├── AuthError         no valid token: refresh it, or the user signs in again
├── FatalError        the server refused the whole request (bad input, MUTATION_GAP, ...):
│   │                 retrying the same request cannot help
│   └── PayloadTooLarge  HTTP 413: send less at once (``limit_bytes`` when the server says)
└── NotSignedIn       a write needs the user's id and no one has signed in on this device
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every sync failure; ``code`` is the server's ``extensions.code`` when known."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class RetryableError(SyncError):
    """Try again later with the same mutation ids."""


class Throttled(RetryableError):
    """The server asks to wait ``retry_after_seconds`` before trying again."""

    def __init__(self, message: str, *, retry_after_seconds: float) -> None:
        super().__init__(message, code="TOO_MANY_REQUESTS")
        self.retry_after_seconds = retry_after_seconds


class AuthError(SyncError):
    """The access token is missing, expired or refused."""


class FatalError(SyncError):
    """The server refused the request itself; it needs a change on the device."""


class PayloadTooLarge(FatalError):
    """The request body is over the server's limit (``limit_bytes``, when it says)."""

    def __init__(self, message: str, *, code: str, limit_bytes: int | None = None) -> None:
        super().__init__(message, code=code)
        self.limit_bytes = limit_bytes


class NotSignedIn(SyncError):
    """Sign in once (online) before writing: the device must know whose data it holds."""
