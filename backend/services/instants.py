"""Distinct instants for sort keys that are timestamps (``Notifications.createdAt``, ...).

Two notifications to one user in the same microsecond would share a key and one would
overwrite (or, guarded, refuse) the other. Within this process each instant handed out is
strictly later than the previous one; across processes a clash is a lost race and retried.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from domain.clock import require_aware, utc_iso

_lock = threading.Lock()
_last: datetime | None = None


def unique_instant(now: datetime) -> str:
    """``now`` as a stored timestamp, nudged by microseconds past any instant already issued."""
    global _last
    moment = require_aware(now)
    with _lock:
        if _last is not None and moment <= _last:
            moment = _last + timedelta(microseconds=1)
        _last = moment
    return utc_iso(moment)
