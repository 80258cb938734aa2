"""GraphQL over HTTP as its specification says (graphql.github.io/graphql-over-http).

- ``application/graphql-response+json`` when the client accepts it: 200 when the request was
  executed (``data`` present), 400 when it was not (parse or validation errors);
- ``application/json`` otherwise: 200 for every well-formed request, so clients that treat any
  non-200 as a network failure still see the GraphQL errors (a wrong password used to be 400);
- queries by GET; a mutation by GET is 405 (``Allow: POST``), as a GET must not change data;
- GraphiQL only for a GET without a query that asks for HTML (a browser); other such GETs are
  400 with a GraphQL error;
- answers compressed as the client's ``Accept-Encoding`` allows (``compression``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson
from ariadne.asgi.handlers import GraphQLHTTPHandler
from graphql import GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from protocol.errors import ErrorCode

from .compression import encoded

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def accepts(request: Request, media_type: str) -> bool:
    return media_type in request.headers.get("accept", "")


def is_mutation(query: str, operation_name: str | None) -> bool:
    """Whether the operation a GET would run is a mutation (syntax errors are left to the
    ordinary path, which answers them as GraphQL errors)."""
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    return len(chosen) == 1 and chosen[0].operation == OperationType.MUTATION


class GraphQLOverHTTP(GraphQLHTTPHandler):
    """ariadne's HTTP handler with the status codes and media types of the spec."""

    async def handle_request(self, request: Request) -> Response:
        if request.method == "GET":
            query = request.query_params.get("query")
            if query:
                if is_mutation(query, request.query_params.get("operationName")):
                    return _error(
                        HTTPStatus.METHOD_NOT_ALLOWED,
                        "mutations are sent by POST",
                        ErrorCode.BAD_REQUEST,
                        headers={"Allow": "POST"},
                    )
                return await self.graphql_http_server(request)
            if not accepts(request, "text/html"):
                return _error(HTTPStatus.BAD_REQUEST, "send a query", ErrorCode.BAD_REQUEST)
        return await super().handle_request(request)

    async def create_json_response(
        self, request: Request, result: dict[str, Any], success: bool
    ) -> Response:
        answer = json_answer(
            result, request.headers.get("accept"), request.headers.get("accept-encoding")
        )
        return Response(
            answer.body,
            status_code=answer.status,
            media_type=answer.media_type,
            headers=answer.headers,
        )


@dataclass(frozen=True)
class JsonAnswer:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str]


def json_answer(
    result: dict[str, Any], accept: str | None, accept_encoding: str | None
) -> JsonAnswer:
    """The HTTP answer to an executed (or refused) request: status and media type as the
    spec says for this ``Accept``, the body compressed as ``Accept-Encoding`` allows."""
    media_type, status = "application/json", HTTPStatus.OK
    if GRAPHQL_RESPONSE_JSON in (accept or ""):
        media_type = GRAPHQL_RESPONSE_JSON
        status = HTTPStatus.OK if "data" in result else HTTPStatus.BAD_REQUEST
    body, coding = encoded(json_body(result), accept_encoding)
    headers = {"Vary": "Accept-Encoding"}
    if coding is not None:
        headers["Content-Encoding"] = coding
    return JsonAnswer(status, media_type, body, headers)


def json_body(result: dict[str, Any]) -> bytes:
    """The answer as JSON: orjson (a 5,000-change pull page is 6 MB), the standard library for
    what orjson refuses (integers beyond 64 bits, which DynamoDB numbers may hold)."""
    try:
        return orjson.dumps(result)
    except TypeError:
        return json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()


def _error(
    status: HTTPStatus, message: str, code: ErrorCode, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)
