"""``growlink app`` as a real process: it serves the app with no CDN, stops within 5 s on
SIGINT and on SIGTERM, and explains when it falls back from desktop to web."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.launch import default_data_dir, desktop_unavailable
from harness.ports import free_port


def start_app(port: int, data_dir: Path, *extra: str, env: dict[str, str] | None = None):
    command = [sys.executable, "-m", "app.cli", "app", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--server", "http://127.0.0.1:9", *extra]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as answer:
                return proc, answer.read().decode()
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"the app did not start: {proc.stdout.read() if proc.stdout else ''}")


def stops_within(proc: subprocess.Popen[str], seconds: float) -> bool:
    try:
        proc.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_web_app_serves_offline_and_stops_on_a_signal(signum, tmp_path):
    port = free_port()
    proc, page = start_app(port, tmp_path / "data", "--web")
    assert "noCdn=true" in page.replace(" ", "")  # CanvasKit and fonts served locally
    proc.send_signal(signum)
    assert stops_within(proc, 5.0), f"still running 5 s after {signum.name}"


def test_without_a_desktop_client_it_serves_for_a_browser_and_says_why(tmp_path):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    proc, _ = start_app(free_port(), tmp_path / "data", env=env)
    proc.send_signal(signal.SIGTERM)
    assert stops_within(proc, 5.0)
    output = proc.stdout.read() if proc.stdout else ""
    assert "no desktop window here (no display); serving the app for a browser" in output


def test_desktop_detection_never_needs_the_network():
    assert desktop_unavailable({"DISPLAY": ""}) == "no display"
    reason = desktop_unavailable({"DISPLAY": ":99", "HOME": "/nonexistent"})
    assert reason is None or "desktop" in reason


def test_the_data_dir_comes_from_flet_then_the_platform(tmp_path):
    assert default_data_dir({"FLET_APP_STORAGE_DATA": str(tmp_path)}) == tmp_path
    assert default_data_dir({"HOME": "/home/ana"}).name in {"growlink", "Growlink"}
