"""How many bytes of changes one push may carry, learned from the server's 413. Pure.

The server's 413 says its body limit (``extensions.maxBytes``); the device then sends at most
that, less room for the envelope, in mutation-id order. A proxy's bare 413 says nothing, so
the budget becomes half of what was refused: a few refusals find the size either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from .wire import ChangeIn

ENVELOPE_BYTES = 2048
"""Room left in a push body for the query text, the client id and the JSON around changes."""


def fitting(changes: list[ChangeIn], budget: int | None) -> list[ChangeIn]:
    """The longest run of ``changes`` from the first whose size fits ``budget`` bytes; the
    first always goes (alone too large, the server's 413 makes it a sync issue)."""
    if budget is None:
        return changes
    total = 0
    for count, change in enumerate(changes):
        total += change.wire_bytes() + 1
        if total > budget and count > 0:
            return changes[:count]
    return changes


def budget_after_refusal(refused: Sequence[ChangeIn], limit_bytes: int | None) -> int:
    """The byte budget after a 413 for ``refused``: the server's limit less the envelope when
    it said one that is smaller than what was sent, else half of what was sent."""
    sent = sum(change.wire_bytes() + 1 for change in refused)
    if limit_bytes is not None and 0 < limit_bytes - ENVELOPE_BYTES < sent:
        return limit_bytes - ENVELOPE_BYTES
    return max(1, sent // 2)
