"""Browser-test fixtures: one demo seed per session, one backend and one app per module,
one headless Chromium per module (a missing browser skips, and fails with ``CI=true``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from harness.browser import AppProcess
from harness.ports import free_port
from tests.app.browser.harness import CHROMIUM_ARGS, OUTPUT, chromium_path


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "no chromium: install Debian's chromium (./dev test does it when root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo world, seeded once per session (it takes ~15 s); modules copy it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "backend.cli", "seed-demo", "--db", str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path


@pytest.fixture(scope="module")
def backend(demo_db, server_process, tmp_path_factory):
    """``growlink-server serve`` on this module's own copy of the demo world."""
    folder = tmp_path_factory.mktemp("backend")
    for part in demo_db.parent.iterdir():  # the file, its WAL and its signing secret
        if part.name.startswith(demo_db.name):
            shutil.copy(part, folder / part.name)
    return server_process(folder / demo_db.name)


@pytest.fixture(scope="module")
def app_process(backend, tmp_path_factory) -> Iterator[AppProcess]:
    app = AppProcess(free_port(), tmp_path_factory.mktemp("app") / "data", backend.url)
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser(chromium) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def shots(request) -> Path:
    """This test's screenshot folder under test-output/browser/."""
    return OUTPUT / request.module.__name__.rsplit(".", 1)[-1] / request.node.name


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, keep what the browser showed and what the app logged in its
    screenshot folder (``failure-N.png``, ``failure-app.log``), and print the log's end with
    the failure: the temporary folders are gone afterwards, and CI shows only its output."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    folder = item.funcargs.get("shots")
    browser = item.funcargs.get("browser")
    app = item.funcargs.get("app_process")
    if not isinstance(folder, Path):
        return
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(browser, Browser):
        pages = [page for context in browser.contexts for page in context.pages]
        for n, page in enumerate(pages):
            with contextlib.suppress(Exception):  # a closed page: nothing to show
                page.screenshot(path=str(folder / f"failure-{n}.png"))
    if isinstance(app, AppProcess) and app.log.exists():
        shutil.copy(app.log, folder / "failure-app.log")
        tail = app.log.read_text(errors="replace").splitlines()[-60:]
        report.sections.append(("the app's log, last lines", "\n".join(tail)))
