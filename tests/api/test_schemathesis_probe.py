"""A bounded schemathesis GraphQL probe of a real server on 127.0.0.1 (SQLite), as a signed-in
mentee and signed out: no answer is a server error, and every GraphQL error carries a code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from graphql.language import StringValueNode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from harness.accounts import sign_up_blocking

EXAMPLES_PER_OPERATION = 6

schemathesis.graphql.scalar(
    "AWSJSON",
    st.sampled_from(['{"a": 1}', "[]", "null", "not json", '"text"']).map(
        lambda text: StringValueNode(value=text)
    ),
)


def problems_of(operation: str, status: int, body: Any) -> list[str]:
    """What is wrong with one answer: a 5xx, or a GraphQL error without ``extensions.code``."""
    found = []
    if status >= 500:
        found.append(f"{operation}: HTTP {status}")
    for error in (body or {}).get("errors", []) if isinstance(body, dict) else []:
        code = (error.get("extensions") or {}).get("code")
        if not code:
            found.append(f"{operation}: error without a code: {error.get('message')}")
        elif code == "INTERNAL_SERVER_ERROR":
            found.append(f"{operation}: {error.get('message')}")
    return found


@pytest.mark.parametrize("caller", ["mentee", "signed_out"])
def test_a_bounded_probe_finds_no_server_error(
    caller: str, tmp_path: Path, server_process: Any
) -> None:
    server = server_process(tmp_path / "probe.db")
    headers = {}
    if caller == "mentee":
        headers["Authorization"] = f"Bearer {sign_up_blocking(server.url).token}"
    schema = schemathesis.graphql.from_url(f"{server.url}/graphql", headers=headers)
    problems: list[str] = []
    answered: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def probe(case: Any) -> None:
            response = case.call(headers=headers)
            try:
                body = response.json()
            except ValueError:
                body = None
            answered.append(case.operation.label)
            problems.extend(problems_of(case.operation.label, response.status_code, body))

        probe()
    assert len(set(answered)) > 50
    assert problems == []


def test_the_probe_would_see_a_server_error_or_a_missing_code() -> None:
    assert problems_of("Query.me", 500, None) == ["Query.me: HTTP 500"]
    assert problems_of("Query.me", 200, {"errors": [{"message": "x"}]}) == [
        "Query.me: error without a code: x"
    ]
    assert (
        problems_of(
            "Query.me", 200, {"errors": [{"message": "x", "extensions": {"code": "FORBIDDEN"}}]}
        )
        == []
    )
