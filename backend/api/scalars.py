"""The ``AWSJSON`` scalar: a JSON object out; on input an object or a JSON-encoded string."""

from __future__ import annotations

import json
from typing import Any

from ariadne import ScalarType
from graphql import GraphQLError

aws_json = ScalarType("AWSJSON")


@aws_json.serializer
def serialize_aws_json(value: Any) -> Any:
    return value


@aws_json.value_parser
def parse_aws_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise GraphQLError("AWSJSON: not valid JSON") from exc
    return value
