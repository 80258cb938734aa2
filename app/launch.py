"""Starting the app: web or desktop, the data directory, and stopping on SIGINT/SIGTERM.

Flet's web server can outlive a single SIGTERM (its handler only sets an event, then
resets to the default; open websockets can hold the shutdown). Once the server listens we
put our own handler in front: it passes the signal on to Flet's and, should the process
still be alive ``STOP_GRACE_SECONDS`` later, ends it (the device files are SQLite in WAL
mode: every committed write is already safe).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib.util
import os
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import flet as ft

STOP_GRACE_SECONDS = 3.0

Main = Callable[[ft.Page], Awaitable[None]]


@dataclass(frozen=True)
class LaunchOptions:
    web: bool
    host: str
    port: int
    server_url: str
    data_dir: Path


def default_data_dir(environ: dict[str, str] | None = None) -> Path:
    """``FLET_APP_STORAGE_DATA`` (set by ``flet run`` and packaged apps), else the platform's
    user data directory."""
    env = os.environ if environ is None else environ
    if env.get("FLET_APP_STORAGE_DATA"):
        return Path(env["FLET_APP_STORAGE_DATA"])
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Growlink"
    if sys.platform == "win32":
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Growlink"
    return Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "growlink"


def desktop_unavailable(environ: dict[str, str] | None = None) -> str | None:
    """Why no desktop window can be opened here (``None``: it can). Never downloads."""
    env = os.environ if environ is None else environ
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return "no display"
    spec = importlib.util.find_spec("flet_desktop")
    if spec is None or spec.origin is None:
        return "flet-desktop is not installed"
    if env.get("FLET_VIEW_PATH") and Path(env["FLET_VIEW_PATH"]).exists():
        return None
    bundled = Path(spec.origin).parent / "app"
    if bundled.is_dir() and any(bundled.iterdir()):
        return None
    cached = Path(env.get("HOME") or Path.home()) / ".flet" / "client"
    if cached.is_dir() and any(p.name.endswith(ft.__version__) for p in cached.iterdir()):
        return None
    return f"Flet {ft.__version__} has no desktop client on this machine (it would download one)"


def _listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


def install_stop_on_signals(grace: float = STOP_GRACE_SECONDS) -> None:
    """In front of whatever handles SIGINT/SIGTERM now: pass the signal on, and end the
    process if it is still running ``grace`` seconds later."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(signum)

        def handler(number: int, frame: FrameType | None, previous: Any = previous) -> None:
            timer = threading.Timer(grace, os._exit, args=(0,))
            timer.daemon = True
            timer.start()
            if callable(previous):
                previous(number, frame)
            elif previous == signal.SIG_DFL:
                os._exit(0)

        signal.signal(signum, handler)


async def _when_listening(host: str, port: int, loader: AppLoader) -> None:
    while not _listening(host, port):
        await asyncio.sleep(0.05)
    loader.start()
    install_stop_on_signals()


class AppLoader:
    """The app's ``main(page)``, made by ``load()`` in a thread once ``start()`` is called:
    the screens and the sync engine take about a second to import, and ``run`` starts that
    once the web server listens, so it overlaps the browser fetching and starting the client
    instead of delaying the server. Pages wait for it; a failed load fails each with its
    error."""

    def __init__(self, load: Callable[[], Main]) -> None:
        self.load = load
        self.loaded: concurrent.futures.Future[Main] = concurrent.futures.Future()
        self.started = False

    def start(self) -> None:
        """Start loading (again: nothing)."""
        if self.started:
            return
        self.started = True
        threading.Thread(target=self._work, name="growlink-load", daemon=True).start()

    def _work(self) -> None:
        try:
            self.loaded.set_result(self.load())
        except BaseException as error:  # handed to every page, which raises it
            self.loaded.set_exception(error)

    async def main(self, page: ft.Page) -> None:
        app_main = await asyncio.wrap_future(self.loaded)
        await app_main(page)


def run(options: LaunchOptions, load: Callable[[], Main]) -> None:
    """Serve the app until a signal (web), or open a desktop window where one can be had;
    ``load()`` makes its ``main(page)`` (in a thread, once the web server listens)."""
    web = options.web
    if not web:
        reason = desktop_unavailable()
        if reason:
            print(f"growlink: no desktop window here ({reason}); serving the app for a browser.")
            web = True

    loader = AppLoader(load)
    if not web:
        loader.start()

    async def serve() -> None:
        watcher = asyncio.get_running_loop().create_task(
            _when_listening(options.host, options.port, loader)
        )
        try:
            await ft.run_async(
                loader.main,
                view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
                host=options.host,
                port=options.port,
                no_cdn=True,
                assets_dir=str(Path(__file__).resolve().parent.parent / "assets"),
            )
        finally:
            watcher.cancel()

    if web:
        print(f"growlink app: http://{options.host}:{options.port}  (Ctrl-C stops it)", flush=True)
    asyncio.run(serve())
