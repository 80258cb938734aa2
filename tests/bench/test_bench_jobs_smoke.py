"""``bench/jobs.py`` runs in its quick mode: the first pass sends, the second sends nothing,
and neither scans a table. Timings are printed, never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_jobs_benchmark_prints_its_figures_and_never_scans() -> None:
    command = [sys.executable, str(ROOT / "bench" / "jobs.py"), "--quick"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first, second = proc.stdout.split("second pass")
    assert re.search(r"'reflection_reminders': [1-9]", first), first
    assert re.search(r"'session_reminders': [1-9]", first), first
    assert "'session_reminders': 0" in second and "'reflection_reminders': 0" in second
    assert re.search(r"storage calls: \d+ = [\d.]+ per user", first)
    assert proc.stdout.count("scans: 0") == 2
