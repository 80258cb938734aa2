"""``growlink app`` as a real process: it serves the app with no CDN, stops within 5 s on
SIGINT and on SIGTERM, and explains when it falls back from desktop to web."""

from __future__ import annotations

import signal
import subprocess

import pytest

from app.launch import default_data_dir, desktop_unavailable
from harness.browser import AppProcess
from harness.ports import free_port

NO_SERVER = "http://127.0.0.1:9"


def stops_within(proc: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        proc.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_web_app_serves_offline_and_stops_on_a_signal(signum, tmp_path):
    app = AppProcess(free_port(), tmp_path / "data", NO_SERVER)
    assert "noCdn=true" in app.first_page.replace(" ", "")  # CanvasKit and fonts served locally
    app.proc.send_signal(signum)
    assert stops_within(app.proc, 5.0), f"still running 5 s after {signum.name}"


def test_without_a_desktop_client_it_serves_for_a_browser_and_says_why(tmp_path):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    app = AppProcess(free_port(), tmp_path / "data", NO_SERVER, web=False, env=env)
    app.proc.send_signal(signal.SIGTERM)
    assert stops_within(app.proc, 5.0)
    output = app.log.read_text()
    assert "no desktop window here (no display); serving the app for a browser" in output


def test_desktop_detection_never_needs_the_network():
    assert desktop_unavailable({"DISPLAY": ""}) == "no display"
    reason = desktop_unavailable({"DISPLAY": ":99", "HOME": "/nonexistent"})
    assert reason is None or "desktop" in reason


def test_the_data_dir_comes_from_flet_then_the_platform(tmp_path):
    assert default_data_dir({"FLET_APP_STORAGE_DATA": str(tmp_path)}) == tmp_path
    assert default_data_dir({"HOME": "/home/ana"}).name in {"growlink", "Growlink"}
