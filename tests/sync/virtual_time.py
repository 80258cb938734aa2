"""An event loop on virtual time, for tests of code that waits (debounce, backoff, intervals):
its clock stands still while anything is ready to run and, once every task waits for a timer,
jumps to the next timer. Sleeps take no real time, and a test can assert exactly when things
happened, whatever the load of the machine."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 0.0

    def time(self) -> float:
        return self._virtual_now

    def _run_once(self) -> None:
        """One step of asyncio's loop (a private method: the one place where time passes)."""
        if not self._ready:  # type: ignore[attr-defined]
            timers = [h.when() for h in self._scheduled if not h.cancelled()]  # type: ignore[attr-defined]
            if timers:
                self._virtual_now = max(self._virtual_now, min(timers))
        super()._run_once()  # type: ignore[misc]


def on_virtual_time(
    test: Callable[..., Coroutine[Any, Any, None]],
) -> Callable[..., None]:
    """Run the async ``test`` (with its fixtures) to completion on a ``VirtualTimeLoop``."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        loop = VirtualTimeLoop()
        try:
            loop.run_until_complete(test(*args, **kwargs))
        finally:
            loop.close()

    return run
