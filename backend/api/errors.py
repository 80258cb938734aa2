"""Every error leaves the server as a GraphQL error with a stable ``extensions.code``.

This is the one place exceptions become codes, and the one place errors are logged. Nothing
internal (stack traces, SQL, boto messages) reaches a client. An expected error (a refusal, a
bad input) is one log line with its code; an unexpected exception is logged with its traceback
and a request id, and reported as ``INTERNAL_SERVER_ERROR`` with that id in
``extensions.requestId`` so a report from a user can be matched to the log.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from graphql import GraphQLError

from domain.errors import DomainError
from domain.text import storable_copy
from protocol.errors import ErrorCode

from ..errors import TooManyRequests
from ..storage.errors import (
    ConditionFailed,
    StorageUnavailable,
    TransactionCancelled,
    ValidationError,
)

log = logging.getLogger("growlink.api")

SILENCED = logging.Logger("growlink.api.ariadne")
"""Given to ariadne, which would log every error, expected ones too, with a traceback."""
SILENCED.disabled = True


def format_error(error: GraphQLError, debug: bool = False) -> dict[str, Any]:
    # graphql-core's messages quote the input: a lone surrogate there cannot be sent as UTF-8
    formatted: dict[str, Any] = {"message": storable_copy(error.message)}
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
        # The storage's wording names tables and attributes: keep it for the log only.
        extensions["code"] = ErrorCode.BAD_USER_INPUT
        formatted["message"] = "an id or cursor in the request is not valid"
        log.info("BAD_USER_INPUT at %s (storage: %s)", error.path, original)
        formatted["extensions"] = extensions
        return formatted
    else:
        request_id = uuid.uuid4().hex[:16]
        log.error("unexpected error %s in %s", request_id, error.path, exc_info=original)
        extensions["code"] = ErrorCode.INTERNAL_SERVER_ERROR
        extensions["requestId"] = request_id
        formatted["message"] = f"internal server error (request {request_id})"
        formatted["extensions"] = extensions
        return formatted
    log.info("%s at %s: %s", extensions["code"], error.path, formatted["message"][:200])
    formatted["extensions"] = extensions
    return formatted


def _code_without_original(error: GraphQLError) -> str:
    message = error.message
    if message.startswith("Syntax Error"):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if message.startswith("Variable '$") or "got invalid value" in message:
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.GRAPHQL_VALIDATION_FAILED
