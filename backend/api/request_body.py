"""Request body guards: a body over ``MAX_BODY_BYTES`` is refused with HTTP 413 and a
GraphQL error before it is read whole, parsed or remembered; JSON nested deeper than
``MAX_JSON_DEPTH`` is refused with 400 (1,000 levels used to exhaust the parser's recursion
and answer a bare HTTP 500).

Without it a 100 MB body was accepted and parsed. The 413 says the limit
(``extensions.maxBytes``), so a device sizes its next ``pushChanges`` batch in bytes to fit
(sync/engine.py).
"""

from __future__ import annotations

import json
import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from protocol.errors import ErrorCode

MAX_BODY_BYTES = int(os.environ.get("GROWLINK_MAX_BODY_BYTES", str(1024 * 1024)))
MAX_JSON_DEPTH = 64

JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
"""A JSON string, or an unterminated one up to the end of the body. Possessive, and it
matches at every quote it starts at: a search that failed at a quote and started again at
the next one made a body of one unterminated string full of ``\\"`` cost quadratic time
(160 KB took 134 s of the server's only thread)."""
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects (strings skipped, in C, by regex)."""
    deepest = depth = 0
    for bracket in _JSON_BRACKET.findall(JSON_STRING.sub(b"", body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether ``json_depth(body) > limit``: a body cannot nest deeper than the brackets it
    opens, and counting those is a twentieth of the regex pass (most requests stop there)."""
    return body.count(b"[") + body.count(b"{") > limit and json_depth(body) > limit


def graphql_error_body(message: str, code: ErrorCode, **extensions: int) -> bytes:
    """A refusal as a GraphQL error with a code, so clients handle it like any other."""
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return json.dumps({"errors": [error]}).encode()


class BodyLimit:
    """ASGI middleware: HTTP requests with a body over ``limit`` bytes get 413, JSON bodies
    nested deeper than ``MAX_JSON_DEPTH`` get 400."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if nests_deeper_than(body, MAX_JSON_DEPTH):
            refusal = f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels"
            await _answer(send, 400, graphql_error_body(refusal, ErrorCode.BAD_REQUEST))
            return
        await self.app(scope, replay(body, receive), send)

    async def _refuse(self, send: Send) -> None:
        message = f"the request is larger than {self.limit} bytes; send less at once"
        body = graphql_error_body(message, ErrorCode.PAYLOAD_TOO_LARGE, maxBytes=self.limit)
        await _answer(send, 413, body)


def replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the next app: the body read already, then the connection's own."""
    delivered = False

    async def again() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
