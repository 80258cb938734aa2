"""A2 and A3: the real app (``growlink app --web``) in headless Chromium.

The world is a fresh ``growlink-server serve`` on a SQLite file and one new mentee whose 20
habits (half of them ticked today) were written on a device and pushed with the real sync
engine, as the app would. Her history is short: the server refuses completions older than
the back-fill window, so a year of them exists only in A1's device file.

- A2 (``measure_tap``): with the server stopped, a tap on a habit's checkbox until Today is
  redrawn by Python (the "Progress: ..." label changes: the write is done and the row shows
  it); also until the checkbox's ``aria-checked`` flips, which Flutter draws on its own
  before Python hears of the tap. The instants are taken in the page (``performance.now()``:
  a capturing ``pointerdown`` listener and a ``MutationObserver`` on the semantics DOM),
  ticking and unticking in turn.
- A3 (``measure_cold_start``): from the start of the ``growlink app --web`` process to the
  first ``habit-check-*`` visible, for a returning user: a browser context holding the token
  an earlier sign-in left in localStorage and, as a returning user's browser does, the client
  in its HTTP cache from an earlier visit. For reference, the same with the cache cleared
  (A3c), and a first visit to the sign-in form (A3s). The browser's tab is open before the
  process starts (a person's browser is open when they type the address). Each run is split
  into the process answering HTTP, Flutter's first frame, and the screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.app_goals.figure import Figure, percentiles
from harness.accounts import PASSWORD, Account, sign_up_blocking
from harness.browser import CHROMIUM_ARGS, AppProcess, Tab, chromium_path
from harness.ports import free_port
from harness.processes import ServerProcess
from sync import DeviceStore, GqlRemote, SyncEngine

HABITS = 20
VIEWPORT = {"width": 1000, "height": 760}
HABIT_CHECK = '[flt-semantics-identifier^="habit-check-"]'
ARM_TAP = """sel => {
    const box = () => {
        const node = document.querySelector(sel);
        if (!node) return null;
        return node.matches('[aria-checked]') ? node : node.querySelector('[aria-checked]');
    };
    const progress = () => {
        const said = [...document.querySelectorAll('flt-semantics')]
            .map(n => n.getAttribute('aria-label') || n.textContent || '')
            .find(text => text.startsWith('Progress:'));
        return said ?? null;
    };
    const before = box().getAttribute('aria-checked');
    const tap = {before, progress: progress(), down: null, flipped: null, redrawn: null};
    window.__tap = tap;
    window.addEventListener('pointerdown', () => { tap.down ??= performance.now(); },
                            {capture: true, once: true});
    const observer = new MutationObserver(() => {
        const now = box();
        if (now && now.getAttribute('aria-checked') !== before) tap.flipped ??= performance.now();
        const said = progress();
        if (said !== null && said !== tap.progress) tap.redrawn ??= performance.now();
        if (tap.flipped !== null && tap.redrawn !== null) observer.disconnect();
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                     characterData: true});
    return tap;
}"""
TAP_DONE = "() => window.__tap.flipped !== null && window.__tap.redrawn !== null"


class NoChromium(RuntimeError):
    """No Chromium on this machine: the browser figures cannot be measured."""


class SeedNotPushed(RuntimeError):
    """The bench mentee's habits did not all reach the server."""


@dataclass(frozen=True)
class World:
    server: ServerProcess
    account: Account
    data_dir: Path
    port: int
    """The app's port: the same in every run, so the browser's token (kept per origin) holds."""


def seed_habits(server_url: str, account: Account, device: Path) -> None:
    """``HABITS`` habits under one goal, every other one ticked today, pushed from a device
    with the real sync engine."""

    async def write_and_push() -> None:
        with DeviceStore(device) as store:
            remote = GqlRemote(server_url)
            engine = SyncEngine(store, remote, server_url=server_url, poke=False)
            try:
                await engine.sign_in(account.email, PASSWORD)
                goal = store.create_goal("Be 1% better every day", identity="a steady person")
                today = dt.datetime.now(dt.UTC).date()  # the account's zone is UTC
                for n in range(HABITS):
                    cue = {"time": f"{6 + n % 14:02d}:00", "place": "at home"}
                    habit = store.create_habit(goal["goalId"], f"Tiny habit number {n}", cue=cue)
                    if n % 2:
                        store.complete_habit(habit["habitId"], today)
                report = await engine.sync_now()
                if report.error or store.pending():
                    raise SeedNotPushed(f"{store.pending()} changes left: {report}")
            finally:
                await remote.aclose()

    asyncio.run(write_and_push())


@contextlib.contextmanager
def bench_world(folder: Path) -> Iterator[World]:
    folder.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(folder / "server.db", log=folder / "server.log")
    try:
        account = sign_up_blocking(server.url)
        seed_habits(server.url, account, folder / "seed-device.db")
        yield World(server, account, folder / "app-data", free_port())
    finally:
        server.stop()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        raise NoChromium("no chromium: install Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _context(browser: Browser, storage: Any = None) -> BrowserContext:
    return browser.new_context(viewport=VIEWPORT, storage_state=storage)  # type: ignore[arg-type]


def _first_check(tab: Tab) -> str:
    tab.page.wait_for_selector(HABIT_CHECK, state="visible", timeout=60_000)
    identifier = tab.page.get_attribute(HABIT_CHECK, "flt-semantics-identifier")
    assert identifier is not None
    return identifier


def signed_in_storage(browser: Browser, world: World) -> Any:
    """The app started once and signed in through its form: the browser's storage (its
    token in localStorage) for the later runs."""
    app = AppProcess(world.port, world.data_dir, world.server.url)
    context = _context(browser)
    try:
        tab = Tab(context, app.url, world.data_dir).open()
        tab.sign_in(world.account.email, PASSWORD)
        tab.wait_text("sync-status", "Synced", timeout=60)
        _first_check(tab)
        return context.storage_state()
    finally:
        context.close()
        app.stop()


@dataclass(frozen=True)
class ColdStart:
    http_ms: float
    first_frame_ms: float
    screen_ms: float


def cold_start(context: BrowserContext, world: World, signed_in: bool) -> ColdStart:
    """One start of the app process, in a new tab of ``context``: to Today (``signed_in``: the
    context holds a token) or to the sign-in form.

    The tab is open before the process starts, as a person's browser is when they open the
    app's address: opening a Playwright page (~0.6 s on a busy 2-core machine) is the
    harness's cost, not the app's."""
    tab = Tab(context, "", world.data_dir)
    tab.page = context.new_page()
    try:
        started = time.perf_counter()
        app = AppProcess(world.port, world.data_dir, world.server.url)
        answered = time.perf_counter()
        try:
            tab.page.goto(app.url)
            tab.page.wait_for_function(
                "() => !document.getElementById('loading')", timeout=60_000
            )
            first_frame = time.perf_counter()
            tab.enable_semantics()
            if signed_in:
                _first_check(tab)
            else:
                tab.wait_for("signin-email", timeout=60)
            shown = time.perf_counter()
        finally:
            app.stop()
    finally:
        tab.page.close()
    return ColdStart(
        (answered - started) * 1000, (first_frame - started) * 1000, (shown - started) * 1000
    )


def _starts(
    browser: Browser, world: World, storage: Any, runs: int, *, cached: bool
) -> list[ColdStart]:
    """``runs`` cold starts; ``cached``: in one browser context that loaded the app once
    before (its HTTP cache holds the client, as a returning user's browser does), else each
    in a new context (nothing cached: a first visit, or a cleared cache)."""
    if not cached:
        starts = []
        for _ in range(runs):
            context = _context(browser, storage)
            try:
                starts.append(cold_start(context, world, storage is not None))
            finally:
                context.close()
        return starts
    context = _context(browser, storage)
    try:
        cold_start(context, world, storage is not None)  # the visit that filled the cache
        return [cold_start(context, world, storage is not None) for _ in range(runs)]
    finally:
        context.close()


def measure_cold_start(browser: Browser, world: World, storage: Any, runs: int) -> list[Figure]:
    """A3: cold start of the app process to an interactive Today for a returning user (signed
    in, the client in the browser's cache), median of ``runs``; the same with the cache
    cleared (A3c) and a first visit to the sign-in form (A3s), for reference."""
    figures = []
    for label, state, cached, goal, what in (
        ("A3", storage, True, 3000, "cold start to an interactive Today (returning user)"),
        ("A3c", storage, False, 3000, "the same, browser cache cleared"),
        ("A3s", None, False, 3000, "first visit: cold start to the sign-in form"),
    ):
        starts = _starts(browser, world, state, runs, cached=cached)
        for part, values in (
            ("process answers HTTP", [s.http_ms for s in starts]),
            ("first frame         ", [s.first_frame_ms for s in starts]),
            ("screen interactive  ", [s.screen_ms for s in starts]),
        ):
            p50, p95 = percentiles(values)
            print(f"   {label} {part} p50 {p50:.0f} ms, max {max(values):.0f} ms")
        p50, p95 = percentiles([s.screen_ms for s in starts])
        figures.append(Figure(label, f"{what}, {runs} runs", p50, p95, None, goal, False))
    return figures


def measure_tap(browser: Browser, world: World, storage: Any, taps: int) -> list[Figure]:
    """A2: tap to checked state drawn, the server down, ``taps`` taps ticking and unticking
    one habit."""
    app = AppProcess(world.port, world.data_dir, world.server.url)
    context = _context(browser, storage)
    try:
        tab = Tab(context, app.url, world.data_dir).open()
        check = tab.selector(_first_check(tab))
        tab.wait_text("sync-status", "Synced", timeout=60)
        world.server.kill()
        flips: list[float] = []
        redraws: list[float] = []
        missed: list[dict[str, Any]] = []
        while len(redraws) < taps + 1:  # the first tap warms up
            tab.page.evaluate(ARM_TAP, check)
            tab.page.locator(check).first.click()
            try:
                tab.page.wait_for_function(TAP_DONE, timeout=10_000)
            except PlaywrightTimeout:
                missed.append(tab.page.evaluate("() => window.__tap"))
                if len(missed) > taps:
                    raise
                continue
            tap: dict[str, Any] = tab.page.evaluate("() => window.__tap")
            flips.append(tap["flipped"] - tap["down"])
            redraws.append(tap["redrawn"] - tap["down"])
            tab.page.wait_for_timeout(200)  # a person's next tap; the failed sync settles
        status = tab.text("sync-status")
    finally:
        context.close()
        app.stop()
        if not world.server.running:
            world.server.start()
    print(f"A2 tap: {taps} taps on one habit, server down (status then: {status!r})")
    for tap in missed:
        print(f"   a tap not redrawn within 10 s, left out: {tap}")
    p50, p95 = percentiles(flips[1:])
    print(
        f"   the checkbox drawn checked (Flutter, before Python) p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    p50, p95 = percentiles(redraws[1:])
    print(f"   Today redrawn by Python (progress, row) p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    what = f"tap to Today redrawn checked, server down, {taps} taps"
    return [Figure("A2", what, p50, p95, None, 100, p95_in_goal=False)]


def measure_in_browser(folder: Path, quick: bool) -> list[Figure]:
    """A2 and A3 on one world and one Chromium (``NoChromium`` without one)."""
    with bench_world(folder) as world, chromium() as browser:
        storage = signed_in_storage(browser, world)
        figures = measure_tap(browser, world, storage, taps=6 if quick else 30)
        figures += measure_cold_start(browser, world, storage, runs=1 if quick else 5)
    return figures
