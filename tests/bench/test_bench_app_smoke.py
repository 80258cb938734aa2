"""``bench/app.py`` runs in its quick mode and prints every figure of the app with its ratio:
A1 (Today in Python), A2w (the local write), A2 (a tap in Chromium) and A3/A3s (cold starts).

Timings are not asserted: they belong to the benchmark, not to the test suite. Without
Chromium the browser figures are skipped (and the test fails with ``CI=true``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.browser import chromium_path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ["A1", "A2w", "A2", "A3", "A3s"]


def test_the_app_benchmark_prints_every_figure() -> None:
    if chromium_path() is None:
        message = "no chromium: the app benchmark's browser figures need it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    command = [sys.executable, str(ROOT / "bench" / "app.py"), "--quick"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "20 habits due" in proc.stdout
    assert "the checkbox drawn checked" in proc.stdout
    _, summary = proc.stdout.split("\nsummary", 1)
    for figure in FIGURES:
        line = rf"^{figure} .*p50 [\d.]+ ms, p95 [\d.]+ ms.*ratio [\d.]+ \((meets goal|MISSES)\)"
        assert re.search(line, summary, re.MULTILINE), f"no {figure} in:\n{summary}"
