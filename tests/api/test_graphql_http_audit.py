"""The reference audit of the GraphQL-over-HTTP spec (``auditServer`` of the pinned
``graphql-http`` npm package, installed by ``./dev setup`` when npm exists) against a real
server on 127.0.0.1: no MUST or SHOULD broken (0 errors, 0 warnings)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

AUDIT = Path(__file__).resolve().parents[2] / "tools" / "graphql-http-audit"


def test_the_graphql_http_audit_finds_no_errors(tmp_path: Path, server_process: Any) -> None:
    node = shutil.which("node")
    if node is None or not (AUDIT / "node_modules" / "graphql-http").is_dir():
        pytest.skip("the graphql-http audit needs node and `./dev setup` (npm ci)")
    server = server_process(tmp_path / "audit.db")
    finished = subprocess.run(
        [node, str(AUDIT / "audit.mjs"), f"{server.url}/graphql"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    results = [json.loads(line) for line in finished.stdout.splitlines() if line.strip()]
    assert len(results) > 50, finished.stderr
    broken = [r for r in results if r["status"] in ("error", "warn")]
    assert broken == []
    assert finished.returncode == 0
