"""``growlink app`` as a separate process for the tests that need the real thing: the process
tests and the browser tests start it the same way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class AppProcess:
    """``growlink app`` on ``port`` with its own data dir, signed in to nothing, its output in
    ``log``; it is serving once the constructor returns (``first_page`` is what it served)."""

    def __init__(
        self,
        port: int,
        data_dir: Path,
        server_url: str,
        *,
        web: bool = True,
        env: dict[str, str] | None = None,
    ) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.data_dir = data_dir
        command = [sys.executable, "-m", "app.cli", "app", "--port", str(port)]
        command += ["--data-dir", str(data_dir), "--server", server_url]
        command += ["--web"] if web else []
        self.log = data_dir.parent / "app.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as out:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={**os.environ, **(env or {})},
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url, timeout=1) as answer:
                    self.first_page = answer.read().decode()
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app did not start: {self.log.read_text()}")

    def stop(self) -> None:
        """INT, then TERM, then KILL: whatever it takes, without waiting long."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                return
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=6)
            except subprocess.TimeoutExpired:
                continue
