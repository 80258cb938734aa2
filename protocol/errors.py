"""The error codes of GraphQL ``extensions.code`` and of sync issues, one list for both sides.

``domain.errors`` carries the rule errors' codes as plain strings (``domain`` imports nothing
of ours); a test checks they are members here.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    DOMAIN_ERROR = "DOMAIN_ERROR"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
    MUTATION_GAP = "MUTATION_GAP"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    BAD_REQUEST = "BAD_REQUEST"


RETRYABLE_CODES = frozenset(
    {ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL_SERVER_ERROR, ErrorCode.CONFLICT}
)
"""Codes after which the same request may succeed later, unchanged."""


class IssueCode(StrEnum):
    """Why a pushed change became a sync issue besides a broken rule (an ``ErrorCode``)."""

    EDITED_ELSEWHERE = "EDITED_ELSEWHERE"
    DELETED_ELSEWHERE = "DELETED_ELSEWHERE"
    EDIT_DISCARDED = "EDIT_DISCARDED"
