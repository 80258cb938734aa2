"""``bench/dashboard_instructions.py``: the two runs it counts under valgrind succeed (every
request answered without errors), here without valgrind, on the demo world."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.dashboard_instructions import seed

ROOT = Path(__file__).resolve().parents[2]


async def test_the_counted_runs_answer_every_dashboard_request(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    await seed(db)
    for run in ("app", "floor"):
        command = [sys.executable, str(ROOT / "bench" / "dashboard_instructions.py")]
        command += ["--run", run, "--db", str(db), "--requests", "3"]
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
