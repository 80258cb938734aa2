"""Distinct instants for sort keys that are timestamps (``Notifications.createdAt``).

Two notifications to one user in the same microsecond would share a key, and the guarded
create of the second would fail for ever under a clock that does not move (tests, or two
changes in one request). Within this process each instant handed out for one scope (a user)
is strictly later than the previous one for that scope; across processes a clash is a lost
race, and the operation is retried with a fresh clock reading.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta

from domain.clock import require_aware, utc_iso

_REMEMBERED_SCOPES = 10_000
_lock = threading.Lock()
_last: OrderedDict[str, datetime] = OrderedDict()


def unique_instant(now: datetime, scope: str) -> str:
    """``now`` as a stored timestamp, nudged past any instant already issued for ``scope``."""
    moment = require_aware(now)
    with _lock:
        last = _last.get(scope)
        if last is not None and moment <= last:
            moment = last + timedelta(microseconds=1)
        _last[scope] = moment
        _last.move_to_end(scope)
        if len(_last) > _REMEMBERED_SCOPES:
            _last.popitem(last=False)
    return utc_iso(moment)
