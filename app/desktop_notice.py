"""A desktop notification where the platform offers one: ``notify-send`` (freedesktop) on
Linux desktops. Elsewhere, and in a browser, the app's own banner is the only one shown."""

from __future__ import annotations

import shutil
import subprocess


def show_desktop_notice(title: str, body: str) -> bool:
    """Ask the desktop to show ``title`` and ``body``; False when it cannot (no notifier)."""
    notifier = shutil.which("notify-send")
    if notifier is None:
        return False
    try:
        subprocess.run(
            [notifier, "--app-name=Growlink", title, body],
            check=True,
            timeout=5,
            capture_output=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True
