"""The app's routes and which navigation tab each belongs to. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

HOME = "/today"
TABS: tuple[tuple[str, str], ...] = (
    ("/today", "Today"),
    ("/goals", "Goals"),
    ("/reflect", "Reflect"),
    ("/todos", "To-dos"),
    ("/sessions", "Sessions"),
    ("/events", "Events"),
    ("/profile", "Profile"),
)
"""Navigation destinations in order: (route, label). Their identifiers are ``nav-<name>``."""
_SIMPLE = {
    "/today",
    "/goals",
    "/reflect",
    "/todos",
    "/sessions",
    "/mentors",
    "/events",
    "/profile",
    "/attention",
}
_HABIT = re.compile(r"/habits/([A-Za-z0-9_.:-]+)/?")


@dataclass(frozen=True)
class Route:
    path: str
    """The canonical path, e.g. ``/habits/h1``."""
    screen: str
    """today | goals | reflect | todos | sessions | mentors | events | profile | attention |
    habit"""
    habit_id: str | None = None

    @property
    def tab(self) -> int | None:
        """Index in ``TABS`` to highlight (a habit belongs to Goals, the mentor directory to
        Sessions; attention to none)."""
        owner = {"habit": "/goals", "mentors": "/sessions"}.get(self.screen, self.path)
        for index, (path, _) in enumerate(TABS):
            if path == owner:
                return index
        return None


def parse_route(route: str | None) -> Route:
    """The screen for ``route`` (query and trailing slash ignored); anything else is Today."""
    path = (route or "").split("?", 1)[0].split("#", 1)[0]
    path = "/" + path.strip("/")
    if path in _SIMPLE:
        return Route(path, path.lstrip("/"))
    habit = _HABIT.fullmatch(path)
    if habit:
        return Route(path, "habit", habit.group(1))
    return Route(HOME, "today")


def nav_identifier(route: str) -> str:
    return "nav-" + route.strip("/")
