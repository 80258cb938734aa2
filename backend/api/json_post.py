"""``POST /graphql`` with a JSON object for a body, executed without Starlette's router and
request objects.

Almost every request is one: each sync, each screen's read. On the way to ariadne, the
routing, the request and response objects and the handler's dispatch cost 135,000
instructions a request, more than half of executing ``{ __typename }``. The execution itself is
still ariadne's (``execute_graphql_query``), with the app's parser, validator, rules and
error formatter; the answer is ``http.json_answer``, as on the ordinary path.

Every other request goes on to the Starlette app unchanged: GET, another media type, a body
that is not a JSON object (the ordinary path then answers it, or refuses it,
as before), websockets and ``/health``.
"""

from __future__ import annotations

import json

from ariadne.asgi.handlers import GraphQLHTTPHandler
from starlette.types import ASGIApp, Receive, Scope, Send

from ..services.context import Services
from .context import request_context
from .http import json_answer
from .request_body import replay

PATH = "/graphql"
JSON = b"application/json"


class JsonPost:
    """ASGI middleware: answers ``POST /graphql`` with ``Content-Type: application/json``
    and a JSON object for a body; passes everything else on to ``app``."""

    def __init__(self, app: ASGIApp, handler: GraphQLHTTPHandler, services: Services) -> None:
        # Subscriptions over HTTP would need the ordinary path's request object.
        assert not handler.subscription_handlers, "JsonPost does not serve subscriptions"
        self.app = app
        self.handler = handler
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        headers = first_values(scope["headers"])
        if headers.get(b"content-type", b"").split(b";")[0] != JSON:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        if body is None:  # the client left
            return
        try:
            data = json.loads(body)  # as Starlette's Request.json (orjson turns 2**64 to float)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            await self.app(scope, replay(body, receive), send)
            return
        client = scope.get("client")
        context = request_context(
            self.services, text(headers.get(b"authorization")), client[0] if client else None
        )
        _, result = await self.handler.execute_graphql_query(None, data, context_value=context)
        answer = json_answer(
            result, text(headers.get(b"accept")), text(headers.get(b"accept-encoding"))
        )
        raw_headers = [
            (b"content-type", answer.media_type.encode()),
            (b"content-length", b"%d" % len(answer.body)),
            *((name.lower().encode(), value.encode()) for name, value in answer.headers.items()),
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": answer.body})


def first_values(headers: list[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """Each header's first value, as Starlette's ``Headers.get`` reads it."""
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        found.setdefault(name, value)
    return found


def text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


async def read_body(receive: Receive) -> bytes | None:
    """The whole body (``BodyLimit``, outside, has bounded it), or None on a disconnect."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
