"""Build each request's ``ServiceContext`` from its ``Authorization: Bearer`` header."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ..errors import Unauthenticated
from ..services.context import ServiceContext, Services, Viewer


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


def context_factory(services: Services) -> Any:
    """The ``context_value`` callable ariadne calls with each request (HTTP or websocket)."""

    def build(request: Any, data: Any = None) -> ServiceContext:
        header = request.headers.get("authorization") if hasattr(request, "headers") else None
        if header is None and isinstance(data, dict):  # websocket: token in connection params
            header = (
                (data.get("payload") or {}).get("Authorization") if data.get("payload") else None
            )
        viewer, error = viewer_from_header(services, header)
        return ServiceContext(services, viewer, error)

    return build


Info = GraphQLResolveInfo[ServiceContext]


def ctx_of(info: Info) -> ServiceContext:
    ctx = info.context
    assert isinstance(ctx, ServiceContext)
    return ctx
