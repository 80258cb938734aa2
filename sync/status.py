"""The sync status the app shows, derived from the device tables (never stored as a flag)."""

from __future__ import annotations

from dataclasses import dataclass

CLOCK_SKEW_WARNING_SECONDS = 5 * 60
"""Warn when the device clock is further than this from the server's (sync-protocol §6)."""


@dataclass(frozen=True)
class SyncStatus:
    """``pending`` outbox entries, open ``issues``, and whether a sync is running right now.

    ``blocked`` is a reason the sync cannot proceed without the user (for example: sign in
    again); it counts as one more thing that needs attention.
    """

    pending: int
    issues: int
    syncing: bool = False
    blocked: str | None = None
    clock_skew_seconds: float | None = None

    @property
    def attention(self) -> int:
        return self.issues + (1 if self.blocked else 0)

    @property
    def label(self) -> str:
        """Exactly one of "Synced", "Syncing", "Offline · N pending", "Needs attention (K)"
        (issue 8: the app bar shows it and the browser tests read it). A sync that runs with
        nothing to send stays "Synced", so the periodic pull does not flicker."""
        if self.attention:
            return f"Needs attention ({self.attention})"
        if self.pending and self.syncing:
            return "Syncing"
        if self.pending:
            return f"Offline · {self.pending} pending"
        return "Synced"

    @property
    def clock_warning(self) -> str | None:
        """A sentence for the user when their clock is more than 5 minutes off the server's."""
        skew = self.clock_skew_seconds
        if skew is None or abs(skew) <= CLOCK_SKEW_WARNING_SECONDS:
            return None
        direction = "ahead of" if skew > 0 else "behind"
        return f"This device's clock is {abs(skew) / 60:.0f} minutes {direction} the server's."
