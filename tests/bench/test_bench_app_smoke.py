"""``bench/app.py`` runs in its quick mode and prints the Today figure with its ratio.

Timings are not asserted: they belong to the benchmark, not to the test suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_benchmark_prints_the_today_figure() -> None:
    command = [sys.executable, str(ROOT / "bench" / "app.py"), "--quick"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "20 habits due" in proc.stdout
    _, summary = proc.stdout.split("\nsummary", 1)
    assert re.search(r"^A1 .*p50 [\d.]+ ms, p95 [\d.]+ ms.*ratio [\d.]+", summary, re.MULTILINE)
