"""Instants written the way their reader reads them: in the reader's own time zone.

A notification says "Thu 4 Dec, 14:00 CET", not "2026-12-04T13:00Z": the day and the clock
time are the reader's, and the zone's short name (or its offset, where the zone has no
letters for it, as in Pacific/Kiritimati's "+14") says which clock. The year shows only when
it is not the reader's current year. English names, whatever the server's locale.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.clock import require_aware, zone

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def zone_label(local: datetime) -> str:
    """The zone's short name at that moment ("CET", "PDT"), else its offset ("UTC+14")."""
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def reader_day(day: date, this_year: int) -> str:
    """A calendar day (already the reader's own, as a reflection's): "Sun 29 Nov", with the
    year when it is not ``this_year``."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return text if day.year == this_year else f"{text} {day.year}"


def reader_time(instant: datetime, time_zone: str, now: datetime) -> str:
    """``instant`` for a reader in ``time_zone``, e.g. "Thu 4 Dec, 14:00 CET" (with the year,
    "Mon 4 Jan 2027, ...", when it is not the reader's year at ``now``)."""
    reader_zone = zone(time_zone)
    local = require_aware(instant).astimezone(reader_zone)
    this_year = require_aware(now).astimezone(reader_zone).year
    return f"{reader_day(local.date(), this_year)}, {local:%H:%M} {zone_label(local)}"
