"""The server as the sync engine sees it: a ``Remote`` protocol and its GraphQL implementation.

``GqlRemote`` speaks to ``/graphql`` with gql 4 over httpx (``HTTPXAsyncTransport``), one
connection kept open. Failures become the three kinds the engine acts on (``sync.errors``):
- ``TransportQueryError`` (GraphQL errors in the answer): ``UNAUTHENTICATED`` is an
  ``AuthError``; ``TOO_MANY_REQUESTS`` is ``Throttled`` (retryable, with the server's
  ``retryAfter``); ``PAYLOAD_TOO_LARGE`` is ``PayloadTooLarge`` (with its ``maxBytes``),
  as is a bare HTTP 413; ``SERVICE_UNAVAILABLE`` / ``INTERNAL_SERVER_ERROR`` / ``CONFLICT`` (a lost
  race on the server, retried there first) are retryable; any other code is fatal.
- ``TransportConnectionFailed`` (no connection, reset, httpx timeouts), a ``TimeoutError`` of
  the whole call, a ``TransportServerError`` with status 5xx, 408 or 429, and a non-GraphQL
  answer (``TransportProtocolError``, e.g. a proxy's error page) are retryable.
"""

from __future__ import annotations

import email.utils
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
import orjson
from gql import Client, GraphQLRequest
from gql.client import AsyncClientSession
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.httpx import HTTPXAsyncTransport

from protocol.errors import RETRYABLE_CODES, ErrorCode

from .documents import document
from .errors import AuthError, FatalError, PayloadTooLarge, RetryableError, SyncError, Throttled
from .wire import AuthSession, ChangeIn, PullPage, PushPayload

RETRYABLE_STATUS = frozenset({408, 429})


class Remote(Protocol):
    """What the engine needs from the server. ``token`` is the current access token."""

    async def push(
        self, client_id: str, changes: Sequence[ChangeIn], *, token: str
    ) -> PushPayload: ...

    async def pull(
        self,
        cursor: str | None,
        limit: int,
        *,
        token: str,
        sent: Callable[[], None] | None = None,
    ) -> PullPage:
        """The page after ``cursor``; ``sent()``, if given, once the request is on its way
        (a remote that never calls it only makes the engine wait for the answer instead)."""
        ...

    async def sign_in(self, email: str, password: str) -> AuthSession: ...

    async def refresh(self, refresh_token: str) -> AuthSession: ...

    async def resolve_issue(self, issue_id: str, resolution: str, *, token: str) -> None: ...


def classify(error: Exception) -> SyncError:
    """The engine's view of a gql / transport failure."""
    if isinstance(error, SyncError):
        return error
    if isinstance(error, TransportQueryError):
        first = (error.errors or [{}])[0]
        extensions = first.get("extensions") or {}
        code = extensions.get("code")
        message = str(first.get("message", error))
        if code == ErrorCode.UNAUTHENTICATED:
            return AuthError(message, code=code)
        if code == ErrorCode.TOO_MANY_REQUESTS:
            return Throttled(message, retry_after_seconds=_seconds(extensions.get("retryAfter")))
        if code == ErrorCode.PAYLOAD_TOO_LARGE:
            limit = extensions.get("maxBytes")
            limit_bytes = limit if isinstance(limit, int) and limit > 0 else None
            return PayloadTooLarge(message, code=code, limit_bytes=limit_bytes)
        if code in RETRYABLE_CODES:
            return RetryableError(message, code=code)
        return FatalError(message, code=code)
    if isinstance(error, TransportServerError):
        status = error.code or 0
        if status >= 500 or status in RETRYABLE_STATUS:
            return RetryableError(f"server answered {status}", code=str(status))
        if status == 401:
            return AuthError("server answered 401", code=ErrorCode.UNAUTHENTICATED)
        if status == 413:
            return PayloadTooLarge("server answered 413", code=str(status))
        return FatalError(f"server answered {status}", code=str(status))
    if isinstance(error, TransportConnectionFailed | TransportProtocolError | TimeoutError):
        return RetryableError(str(error) or type(error).__name__)
    if isinstance(error, httpx.TransportError):
        return RetryableError(str(error) or type(error).__name__)
    raise error


def _seconds(retry_after: Any) -> float:
    """The server's ``retryAfter``; a minute when it is missing or not a sane number."""
    if isinstance(retry_after, int | float) and 0 <= retry_after <= 86_400:
        return float(retry_after)
    return 60.0


def server_time_of(headers: Mapping[str, str] | None) -> datetime | None:
    """The server's clock from the HTTP ``Date`` header (second precision is plenty)."""
    value = (headers or {}).get("date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def _on_request_sent(sent: Callable[[], None]) -> Callable[[str, Any], Awaitable[None]]:
    """An httpcore ``trace`` extension calling ``sent()`` once the request body is written."""

    async def trace(event: str, _info: Any) -> None:
        if event.endswith("send_request_body.complete"):
            sent()

    return trace


def _session_of(payload: Mapping[str, Any]) -> AuthSession:
    user = payload["user"]
    return AuthSession(
        payload["accessToken"], payload["refreshToken"], user["userId"], user.get("role")
    )


KEEPALIVE_SECONDS = 2.0
"""How long an idle connection is reused. Shorter than the server's own keep-alive (uvicorn:
5 s), so the device never sends on a connection the server is closing at that moment: with
equal limits, 1-2 of ~2,500 requests of 200 devices failed that way (``bench/load.py``)."""


class GqlRemote:
    """``Remote`` over HTTP. ``url`` is the server's base (``http://host:port``) or its
    ``/graphql`` endpoint; ``httpx_options`` go to ``httpx.AsyncClient`` (tests inject a
    ``transport=httpx.MockTransport(...)`` there)."""

    def __init__(self, url: str, *, timeout: float = 30.0, **httpx_options: Any) -> None:
        self.url = url if url.rstrip("/").endswith("/graphql") else url.rstrip("/") + "/graphql"
        httpx_options.setdefault("limits", httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS))
        self._transport = HTTPXAsyncTransport(
            self.url, json_deserialize=orjson.loads, timeout=timeout, **httpx_options
        )
        self._client = Client(transport=self._transport, execute_timeout=timeout * 2)
        self._session: AsyncClientSession | None = None

    async def aclose(self) -> None:
        if self._session is not None:
            self._session = None
            await self._client.close_async()  # type: ignore[no-untyped-call]  # gql untyped

    async def _execute(
        self,
        name: str,
        variables: dict[str, Any],
        token: str | None = None,
        sent: Callable[[], None] | None = None,
    ) -> tuple[dict[str, Any], datetime | None]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        extra_args: dict[str, Any] = {"headers": headers}
        if sent is not None:
            extra_args["extensions"] = {"trace": _on_request_sent(sent)}
        try:
            if self._session is None:
                self._session = await self._client.connect_async()  # type: ignore[no-untyped-call]
            request = GraphQLRequest(document(name), variable_values=variables)
            data = await self._session.execute(request, extra_args=extra_args)
        except Exception as exc:  # mapped to the engine's three kinds, or re-raised
            raise classify(exc) from exc
        return data, server_time_of(self._transport.response_headers)

    async def push(self, client_id: str, changes: Sequence[ChangeIn], *, token: str) -> PushPayload:
        variables = {"input": {"clientId": client_id, "changes": [c.to_graphql() for c in changes]}}
        data, server_time = await self._execute("push_changes", variables, token)
        return PushPayload.from_graphql(data["pushChanges"], server_time)

    async def pull(
        self,
        cursor: str | None,
        limit: int,
        *,
        token: str,
        sent: Callable[[], None] | None = None,
    ) -> PullPage:
        data, server_time = await self._execute(
            "pull_changes", {"cursor": cursor, "limit": limit}, token, sent
        )
        return PullPage.from_graphql(data["pullChanges"], server_time)

    async def sign_in(self, email: str, password: str) -> AuthSession:
        data, _ = await self._execute("sign_in", {"email": email, "password": password})
        return _session_of(data["signIn"])

    async def refresh(self, refresh_token: str) -> AuthSession:
        data, _ = await self._execute("refresh_token", {"token": refresh_token})
        return _session_of(data["refreshToken"])

    async def resolve_issue(self, issue_id: str, resolution: str, *, token: str) -> None:
        variables = {"issueId": issue_id, "resolution": resolution}
        await self._execute("resolve_sync_issue", variables, token)
