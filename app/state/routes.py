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
    ("/mentoring", "Mentoring"),
    ("/sessions", "Sessions"),
    ("/events", "Events"),
    ("/profile", "Profile"),
)
"""Every navigation destination in order: (route, label). Their identifiers are
``nav-<name>``; ``tabs_for`` picks the ones a role sees."""
MENTEE_ONLY = frozenset({"/today", "/goals", "/reflect", "/todos"})
"""A mentee's own days and goals: not shown to a MENTOR-only account."""
MENTOR_ONLY = frozenset({"/mentoring"})
"""Reviewing mentees: shown to MENTOR and BOTH."""
MENTOR_HOME = "/mentoring"
_SIMPLE = {
    "/today",
    "/goals",
    "/reflect",
    "/todos",
    "/mentoring",
    "/notifications",
    "/sessions",
    "/mentors",
    "/events",
    "/profile",
    "/badges",
    "/attention",
    "/more",
}
_TAB_OF_SCREEN = {"habit": "/goals", "mentors": "/sessions", "badges": "/profile"}
"""Screens reached from a tab's screen, highlighted as that tab."""
MORE = ("/more", "More")
"""The phone's last destination when a role has more than ``PHONE_BAR`` of them."""
PHONE_BAR = 5
"""At most this many destinations fit a phone's bottom bar (Material's limit)."""
_PHONE_FIRST = ("/today", "/mentoring", "/goals", "/reflect", "/todos", "/sessions")
"""Which destinations stay in a crowded phone bar, most used first: a mentee's day, then the
mentor's morning; the rest (To-dos, Sessions, Events, Profile) wait under More."""
_HABIT = re.compile(r"/habits/([A-Za-z0-9_.:-]+)/?")


@dataclass(frozen=True)
class Route:
    path: str
    """The canonical path, e.g. ``/habits/h1``."""
    screen: str
    """today | goals | reflect | todos | mentoring | notifications | sessions | mentors | events
    | profile | badges | attention | more | habit"""
    habit_id: str | None = None

    def tab_in(
        self, tabs: tuple[tuple[str, str], ...], more: tuple[tuple[str, str], ...] = ()
    ) -> int | None:
        """Index in ``tabs`` to highlight, or None when the screen has no tab there (a habit
        belongs to Goals, the mentor directory to Sessions, badges to Profile; the sync issues
        to none). A screen of a destination held under ``more`` highlights More."""
        path = _TAB_OF_SCREEN.get(self.screen, self.path)
        if path in {tab_path for tab_path, _ in more}:
            path = MORE[0]
        for index, (tab_path, _) in enumerate(tabs):
            if tab_path == path:
                return index
        return None


def tabs_for(role: str | None) -> tuple[tuple[str, str], ...]:
    """The destinations ``role`` (MENTEE, MENTOR or BOTH; unknown is MENTEE) navigates:
    a mentor reviews, a mentee keeps their days, BOTH does both."""
    hidden = {"MENTOR": MENTEE_ONLY, "BOTH": frozenset[str]()}.get(role or "", MENTOR_ONLY)
    return tuple(tab for tab in TABS if tab[0] not in hidden)


def phone_tabs_for(
    role: str | None,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(the phone's bottom bar, the destinations under its More) for ``role``: all of them in
    the bar while they fit, else the most used ones, in the usual order, then More."""
    tabs = tabs_for(role)
    if len(tabs) <= PHONE_BAR:
        return tabs, ()
    offered = {path for path, _ in tabs}
    kept = [path for path in _PHONE_FIRST if path in offered][: PHONE_BAR - 1]
    bar = tuple(tab for tab in tabs if tab[0] in kept)
    return (*bar, MORE), tuple(tab for tab in tabs if tab[0] not in kept)


def home_for(role: str | None) -> str:
    """Where ``role`` lands after signing in: a MENTOR-only account has no Today."""
    return MENTOR_HOME if role == "MENTOR" else HOME


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


def route_for(route: str | None, role: str | None) -> Route:
    """``parse_route`` for ``role``: a mentee's own screens send a MENTOR-only account to
    its home (the Mentoring area) instead of an empty Today."""
    parsed = parse_route(route)
    if role == "MENTOR" and (parsed.path in MENTEE_ONLY or parsed.screen == "habit"):
        return parse_route(home_for(role))
    return parsed


def nav_identifier(route: str) -> str:
    return "nav-" + route.strip("/")
