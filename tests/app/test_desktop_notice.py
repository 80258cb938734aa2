"""The desktop notification goes through the platform's notifier when there is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.desktop_notice import show_desktop_notice


def test_it_asks_notify_send_and_says_when_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert show_desktop_notice("Growlink", "Time for Read one page") is False
    said = tmp_path / "said.txt"
    notifier = tmp_path / "notify-send"
    notifier.write_text(f'#!/bin/sh\nprintf "%s|" "$@" > {said}\n')
    notifier.chmod(0o755)
    assert show_desktop_notice("Growlink", "Time for Read one page") is True
    assert said.read_text() == "--app-name=Growlink|Growlink|Time for Read one page|"
    notifier.write_text("#!/bin/sh\nexit 3\n")
    assert show_desktop_notice("Growlink", "again") is False
