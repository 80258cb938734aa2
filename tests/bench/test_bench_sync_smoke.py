"""``bench/sync.py`` still runs end to end at small sizes and prints a figure for every goal.

Timings are not asserted: they belong to the benchmark, not to the test suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_sync_benchmark_prints_a_figure_for_every_goal(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "bench" / "sync.py"), "--quick", "--items", "2000"]
    command += ["--engine", "sqlite", "--cache", str(tmp_path / "cache")]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _, summary = proc.stdout.split("\nsummary\n", 1)
    for goal in ("S1", "S2", "S3", "S4", "S5"):
        assert re.search(rf"^{goal}\b.*\d", summary, re.MULTILINE), f"{goal} missing:\n{summary}"
    assert list(tmp_path.joinpath("cache").glob("mentor-world-2000-*.db"))
