"""The time zone to propose at sign-up. Flet 1.0 does not report the browser's zone, so it
is this process's: ``TZ``, else the ``/etc/localtime`` link, else UTC."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _valid(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def device_time_zone(environ: dict[str, str] | None = None, localtime: Path | None = None) -> str:
    env = os.environ if environ is None else environ
    from_env = _valid(env.get("TZ", "").lstrip(":"))
    if from_env:
        return from_env
    link = localtime or Path("/etc/localtime")
    try:
        target = str(link.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        from_link = _valid(target.split("zoneinfo/", 1)[1])
        if from_link:
            return from_link
    return "UTC"
