"""Initial-sync pages read before they are asked for.

The pages of an initial sync come one request after another, and between two of them the
device parses and stores the page it has (bench/sync.py, S2: a third of each page's time),
while the server would sit idle. So after answering a snapshot page with more to come, the
server starts reading the next one at once and keeps it for the request that asks for it:
the same user, cursor and limit, within ``KEPT_FOR``.

Reading a snapshot page early is safe by the protocol: every page of a snapshot is read after
the feed seqs that its cursor replays from were taken, so a change made after the page was
read reaches the device through the feed, as a change made while it was read does.

Each process keeps at most ``MAX_PAGES`` pages (read or being read); past that it reads no
page ahead. A server that is busy has no idle time for them to fill, and each page of 5,000
changes holds megabytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

MAX_PAGES = 4
KEPT_FOR = 30.0
"""Seconds a page read ahead waits for its request (a device asks within milliseconds)."""

Page = TypeVar("Page")


class PagesAhead(Generic[Page]):
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._pages: dict[Hashable, tuple[float, asyncio.Task[Page]]] = {}

    def read(self, key: Hashable, reading: Callable[[], Coroutine[Any, Any, Page]]) -> bool:
        """Start ``reading()`` for the request ``key`` will name; False (nothing started) when
        ``MAX_PAGES`` are already kept or being read, or ``key``'s page is."""
        self._expire()
        if key in self._pages or len(self._pages) >= MAX_PAGES:
            return False
        task = asyncio.get_running_loop().create_task(reading())
        task.add_done_callback(_retrieve)
        self._pages[key] = (self._clock(), task)
        return True

    async def take(self, key: Hashable) -> Page | None:
        """The page read ahead for ``key`` (waiting if it is still being read), or None when
        there is none or its read failed (the request then reads it itself, and meets the
        error if there is one)."""
        self._expire()
        kept = self._pages.pop(key, None)
        if kept is None:
            return None
        task = kept[1]
        if task.get_loop() is not asyncio.get_running_loop():
            return None  # read in another event loop (one per test): not awaitable here
        try:
            # If this request is cancelled, the read goes on and its page is dropped.
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.cancelled():
                return None
            raise
        except Exception:
            return None

    def __len__(self) -> int:
        return len(self._pages)

    async def settle(self) -> None:
        """Wait until every page under way is read (a test's way to know what was read)."""
        await asyncio.gather(*(task for _, task in self._pages.values()), return_exceptions=True)

    def close(self) -> None:
        """Drop every page and stop the reads under way (the server is shutting down)."""
        for _, task in self._pages.values():
            _stop(task)
        self._pages.clear()

    def _expire(self) -> None:
        oldest = self._clock() - KEPT_FOR
        for key in [k for k, (at, _) in self._pages.items() if at < oldest]:
            _stop(self._pages.pop(key)[1])


def _stop(task: asyncio.Task[Any]) -> None:
    with contextlib.suppress(RuntimeError):  # its event loop is closed: it never runs again
        task.cancel()


def _retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a failed read's error as seen: a page nobody takes must not log an unretrieved
    exception (the request that asks for it reads the page again and meets the error)."""
    if not task.cancelled():
        task.exception()
