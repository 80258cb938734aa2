"""How far ahead sessions and events may be planned: a date years away is a typo (or an
attack on the mentor's notifications), never a plan."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.clock import require_aware
from domain.errors import RuleViolation

PLANNING_HORIZON = timedelta(days=2 * 365)
"""Two years from now."""


def check_within_horizon(starts_at: datetime, now: datetime, *, field: str = "date") -> None:
    """A start more than ``PLANNING_HORIZON`` after ``now`` is refused."""
    if require_aware(starts_at) > require_aware(now) + PLANNING_HORIZON:
        raise RuleViolation("must be within two years from now", field=field)
