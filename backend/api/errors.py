"""Every error leaves the server as a GraphQL error with a stable ``extensions.code``.

This is the one place exceptions become codes. Nothing internal (stack traces, SQL, boto
messages) reaches a client: unexpected exceptions are logged and reported as
``INTERNAL_SERVER_ERROR`` with a generic message.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from domain.errors import DomainError
from protocol.errors import ErrorCode

from ..errors import TooManyRequests
from ..storage.errors import (
    ConditionFailed,
    StorageUnavailable,
    TransactionCancelled,
    ValidationError,
)

log = logging.getLogger("growlink.api")


def format_error(error: GraphQLError, debug: bool = False) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = error.path
    original = error.original_error
    extensions: dict[str, Any] = dict(error.extensions or {})
    if original is None or isinstance(original, GraphQLError):
        # graphql-core's own errors (e.g. a variable that fails input coercion) may wrap
        # another GraphQLError: they are client mistakes, not server faults.
        extensions.setdefault("code", _code_without_original(error))
    elif isinstance(original, DomainError):
        extensions["code"] = original.code
        if original.field:
            extensions["field"] = original.field
        if isinstance(original, TooManyRequests):
            extensions["retryAfter"] = original.retry_after_seconds
        formatted["message"] = original.message
    elif isinstance(original, StorageUnavailable):
        extensions["code"] = ErrorCode.SERVICE_UNAVAILABLE
        formatted["message"] = "storage is busy or unreachable; retry shortly"
    elif isinstance(original, ConditionFailed | TransactionCancelled):
        extensions["code"] = ErrorCode.CONFLICT
        formatted["message"] = "the item changed meanwhile; try again"
    elif isinstance(original, ValidationError):
        extensions["code"] = ErrorCode.BAD_USER_INPUT
        formatted["message"] = str(original)
    else:
        log.error("unexpected error in %s", error.path, exc_info=original)
        extensions["code"] = ErrorCode.INTERNAL_SERVER_ERROR
        formatted["message"] = "internal server error"
    formatted["extensions"] = extensions
    return formatted


def _code_without_original(error: GraphQLError) -> str:
    message = error.message
    if message.startswith("Syntax Error"):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if message.startswith("Variable '$") or "got invalid value" in message:
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.GRAPHQL_VALIDATION_FAILED
