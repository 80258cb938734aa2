"""What every screen is given: the signed-in account's device store, its clock and zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from domain.clock import Clock, local_today
from sync import DeviceStore


@dataclass(frozen=True)
class UserContext:
    """The signed-in user on this device: their store, the clock and their time zone."""

    store: DeviceStore
    clock: Clock
    user_id: str
    time_zone: str

    def today(self) -> dt.date:
        """The user's local calendar day, decided in their time zone."""
        return local_today(self.clock.now(), self.time_zone)


def _ignore(_: str) -> None:
    return None


@dataclass(frozen=True)
class ScreenContext:
    """A screen's props: ``revision`` changes after every committed change to the store, so a
    screen component given a new context re-reads its model."""

    user: UserContext
    revision: int = 0
    navigate: Callable[[str], None] = field(default=_ignore, compare=False)
    """Go to a route, e.g. ``/habits/<habitId>``."""
    notify: Callable[[str], None] = field(default=_ignore, compare=False)
    """Show a short message to the user (a refused write's reason, an undo hint)."""
