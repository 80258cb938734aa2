"""Build each request's ``ServiceContext`` from its bearer token (HTTP header or websocket
connection params)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from starlette.requests import Request
from starlette.websockets import WebSocket

from ..errors import Unauthenticated
from ..services.context import ServiceContext, Services, Viewer

CONNECTION_PARAMS = "growlink.connection_params"


def viewer_from_header(
    services: Services, header: str | None
) -> tuple[Viewer | None, Unauthenticated | None]:
    if not header:
        return None, None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None, Unauthenticated("use 'Authorization: Bearer <access token>'")
    try:
        claims = services.tokens.claims_of(token.strip())
    except Unauthenticated as exc:
        return None, exc
    return Viewer(claims.user_id, is_admin=claims.is_admin), None


def remember_connection_params(websocket: WebSocket, payload: Any) -> None:
    """graphql-transport-ws: the access token comes in ``connection_init``'s payload,
    ``{"Authorization": "Bearer ..."}``; keep it for the operations of this connection."""
    websocket.scope[CONNECTION_PARAMS] = payload if isinstance(payload, dict) else {}


def context_factory(services: Services) -> Callable[..., ServiceContext]:
    """The ``context_value`` callable ariadne calls with each request: HTTP requests
    authenticate by header, websocket operations by their connection's params."""

    def build(request: Request | WebSocket, data: Any = None) -> ServiceContext:
        if isinstance(request, WebSocket):
            params = request.scope.get(CONNECTION_PARAMS) or {}
            header = params.get("Authorization") or params.get("authorization")
        else:
            header = request.headers.get("authorization")
        address = request.client.host if request.client else None
        return request_context(services, header, address)

    return build


def request_context(
    services: Services, authorization: str | None, address: str | None
) -> ServiceContext:
    """A request's context from its ``Authorization`` value and the client's address."""
    viewer, error = viewer_from_header(services, authorization)
    return ServiceContext(services, viewer, error, client_address=address)


Info = GraphQLResolveInfo[ServiceContext]


def ctx_of(info: Info) -> ServiceContext:
    ctx = info.context
    assert isinstance(ctx, ServiceContext)
    return ctx
