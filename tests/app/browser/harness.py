"""The real thing for browser tests: the backend (``growlink-server serve`` on a copy of a
demo-seeded SQLite file), the app (``growlink app --web``) as a separate process, and headless
Chromium, driven with ``harness.browser`` (shared with the app benchmark). Every ``shot``
lands in ``test-output/``.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from harness.browser import (
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    AppProcess,
    Tab,
    chromium_path,
    new_tab,
)

__all__ = [
    "CHROMIUM_ARGS",
    "DEMO_PASSWORD",
    "MENTEE",
    "MENTOR",
    "OUTPUT",
    "PHONE",
    "WIDE",
    "AppProcess",
    "Tab",
    "chromium_path",
    "graphql",
    "new_tab",
    "sign_in_token",
]

ROOT = Path(__file__).resolve().parents[3]
OUTPUT = ROOT / "test-output" / "browser"
MENTEE = "ana.souza@growlink.demo"
MENTOR = "maya.okafor@growlink.demo"
WIDE = {"width": 1000, "height": 760}
PHONE = {"width": 400, "height": 820}


def graphql(server_url: str, query: str, variables: dict[str, Any], token: str | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server_url + "/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers=headers,
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        body = json.loads(answer.read())
    assert not body.get("errors"), body
    return body["data"]


def sign_in_token(server_url: str, email: str) -> tuple[str, str]:
    """(access token, userId) for ``email`` with the demo password."""
    data = graphql(
        server_url,
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) "
        "{ accessToken user { userId } } }",
        {"e": email, "p": DEMO_PASSWORD},
    )
    return data["signIn"]["accessToken"], data["signIn"]["user"]["userId"]
