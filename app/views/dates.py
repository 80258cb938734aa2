"""How every screen writes a calendar day, so Today, Reflect and Todos say dates alike."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def long_day(day: dt.date) -> str:
    """A screen's date line: "Monday, 30 November"."""
    return f"{day:%A}, {day.day} {day:%B}"


def short_day(day: dt.date, today: dt.date | None = None) -> str:
    """A day in a row or a chip: "Tue 1 Dec"; with ``today`` given, "Today", "Yesterday",
    "Tomorrow", and the year when it is not this year's."""
    if today is not None:
        near = {0: "Today", -1: "Yesterday", 1: "Tomorrow"}.get((day - today).days)
        if near:
            return near
    year = f" {day.year}" if today is not None and day.year != today.year else ""
    return f"{day:%a} {day.day} {day:%b}{year}"


def as_of(moment: dt.datetime, time_zone: str, today: dt.date) -> str:
    """When figures were fetched, in the user's zone: "as of 09:30" today, "as of yesterday,
    18:30", else "as of Sun 22 Nov, 18:30"."""
    local = moment.astimezone(ZoneInfo(time_zone))
    if local.date() == today:
        return f"as of {local:%H:%M}"
    day = short_day(local.date(), today)
    return f"as of {day if ' ' in day else day.lower()}, {local:%H:%M}"
