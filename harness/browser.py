"""The app in a browser, for the browser tests and the app benchmark: ``growlink app --web``
as a child process and headless Chromium (Debian's) driven through Flutter's semantics tree
with Playwright.

Controls are found by ``[flt-semantics-identifier=...]``; text is typed with the keyboard
(``fill`` does not reach Flet's ``on_change``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "growlink-demo"
"""The password of every account in the demo world (``growlink-server seed-demo``)."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_path() -> str | None:
    found = os.environ.get("GROWLINK_CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser")


class AppProcess:
    """``growlink app`` on ``port`` with its own data dir, signed in to nothing, its output in
    ``log``; it is serving once the constructor returns (``first_page`` is what it served).
    ``args`` adds options of ``growlink app`` (e.g. ``--clock-start``)."""

    def __init__(
        self,
        port: int,
        data_dir: Path,
        server_url: str,
        *,
        web: bool = True,
        env: dict[str, str] | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.data_dir = data_dir
        command = [sys.executable, "-m", "app.cli", "app", "--port", str(port)]
        command += ["--data-dir", str(data_dir), "--server", server_url]
        command += ["--web"] if web else []
        command += list(args)
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
                time.sleep(0.05)  # the app benchmark times this wait
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


class Tab:
    """One browser page of the app, driven through the semantics tree."""

    def __init__(self, context: BrowserContext, app_url: str, folder: Path) -> None:
        self.context = context
        self.app_url = app_url
        self.folder = folder
        self.page: Page = context.pages[0] if context.pages else context.new_page()

    def open(self, route: str = "/") -> Tab:
        self.page.goto(self.app_url + route)
        self.page.wait_for_function("() => !document.getElementById('loading')", timeout=60_000)
        self.enable_semantics()
        return self

    def enable_semantics(self) -> None:
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
        self.page.evaluate("() => document.querySelector('flt-semantics-placeholder')?.click()")
        self.page.wait_for_selector("flt-semantics", state="attached", timeout=30_000)

    def selector(self, identifier: str) -> str:
        return f'[flt-semantics-identifier="{identifier}"]'

    def wait_for(self, identifier: str, timeout: float = 30.0) -> None:
        self.page.wait_for_selector(self.selector(identifier), timeout=timeout * 1000)

    def present(self, identifier: str) -> bool:
        return self.page.locator(self.selector(identifier)).count() > 0

    def identifiers(self, prefix: str = "") -> list[str]:
        found: list[str] = self.page.evaluate(
            """prefix => [...document.querySelectorAll('[flt-semantics-identifier]')]
                .map(e => e.getAttribute('flt-semantics-identifier'))
                .filter(i => i.startsWith(prefix))""",
            prefix,
        )
        return found

    def click(self, identifier: str) -> None:
        """Tap ``identifier``; a navigation destination a phone holds under More is reached
        through More first, as a person would."""
        if identifier.startswith("nav-") and identifier != "nav-more":
            self.open_destination(identifier)
        self.wait_for(identifier)
        self.page.locator(self.selector(identifier)).first.click()
        self.page.wait_for_timeout(400)  # the round trip to Python and back

    def open_destination(self, identifier: str) -> None:
        """Make the destination ``identifier`` visible: it is in the bar or rail, or under
        More on a phone (then More is opened)."""
        self.page.wait_for_selector(
            f"{self.selector(identifier)}, {self.selector('nav-more')}", timeout=30_000
        )
        if not self.present(identifier):
            self.click("nav-more")

    def type(self, identifier: str, text: str) -> None:
        """Type ``text`` over the field's content, key by key as a person does, and check the
        browser's input holds exactly that (a field that echoed an older value back over newer
        keys would lose letters here)."""
        self.click(identifier)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text, delay=20)
        seen: str | None = None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(250)
            seen = self.page.evaluate(
                "() => { const e = document.activeElement;"
                " return e && 'value' in e ? e.value : null; }"
            )
            if seen is None or seen == text:
                return
        raise AssertionError(f"{identifier} reads {seen!r} after typing {text!r}")

    def text(self, identifier: str) -> str:
        """What a screen reader says for the control: its label, else its text."""
        node = self.page.locator(self.selector(identifier)).first
        label = node.get_attribute("aria-label")
        return (label or node.inner_text()).strip()

    def value(self, identifier: str) -> str | None:
        """What a text field holds, as its browser input has it (focusing it to read it)."""
        self.click(identifier)
        self.page.wait_for_timeout(250)
        value: str | None = self.page.evaluate(
            "() => { const e = document.activeElement;"
            " return e && 'value' in e ? e.value : null; }"
        )
        return value

    def checked(self, identifier: str) -> bool:
        state: str | None = self.page.evaluate(
            """sel => {
                const node = document.querySelector(sel);
                if (!node) return null;
                const box = node.matches('[aria-checked]')
                    ? node : node.querySelector('[aria-checked]');
                return box ? box.getAttribute('aria-checked') : null;
            }""",
            self.selector(identifier),
        )
        return state == "true"

    def wait_checked(self, identifier: str, expected: bool = True, timeout: float = 10.0) -> None:
        """Wait until the control's checked state is ``expected`` (the app redraws a tap)."""
        deadline = time.monotonic() + timeout
        while self.checked(identifier) != expected:
            if time.monotonic() > deadline:
                state = "checked" if expected else "unchecked"
                raise AssertionError(f"{identifier} never became {state}")
            self.page.wait_for_timeout(100)

    def wait_text(self, identifier: str, pattern: str, timeout: float = 30.0) -> str:
        """Wait until the control's text matches ``pattern`` (a regex); returns it."""
        deadline = time.monotonic() + timeout
        seen = ""
        while time.monotonic() < deadline:
            if self.present(identifier):
                seen = self.text(identifier)
                if re.fullmatch(pattern, seen):
                    return seen
            self.page.wait_for_timeout(250)
        raise AssertionError(f"{identifier} read {seen!r}, never {pattern!r}")

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.wait_for("signin-email")
        self.type("signin-email", email)
        self.type("signin-password", password)
        self.click("signin-submit")
        self.wait_for("sync-status", timeout=60)

    def shot(self, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.png"
        self.page.wait_for_timeout(1000)  # let the frame after the last change paint
        self.page.screenshot(path=str(path))
        return path

    def local_storage(self) -> dict[str, Any]:
        stored: dict[str, Any] = self.page.evaluate("() => ({...localStorage})")
        return stored


def new_tab(browser: Browser, app_url: str, folder: Path, viewport: dict[str, int]) -> Tab:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    return Tab(context, app_url, folder)
