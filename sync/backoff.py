"""How long to wait before retrying a failed sync: exponential, capped, jittered. Pure.

The n-th consecutive failure waits a random time in ``[max(base, d / 2), d]`` where
``d = min(cap, base * 2 ** (n - 1))``: 1 s, then up to 2, 4, 8 … 60 s. The jitter spreads the
retries of many devices coming back online at once; the lower bound keeps a retry from
firing immediately.
"""

from __future__ import annotations

BASE_SECONDS = 1.0
CAP_SECONDS = 60.0


def backoff_delay(
    attempt: int, rand: float, *, base: float = BASE_SECONDS, cap: float = CAP_SECONDS
) -> float:
    """Seconds to wait after the ``attempt``-th failure in a row (1-based); ``rand`` in [0, 1)."""
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    if not 0.0 <= rand <= 1.0:
        raise ValueError(f"rand must be in [0, 1], got {rand}")
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 62))
    floor = max(base, ceiling / 2)
    return floor + (ceiling - floor) * rand
