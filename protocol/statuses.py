"""Outcomes on the wire: a pushed change's status, and a sync issue's status and resolutions."""

from __future__ import annotations

from enum import StrEnum


class ChangeStatus(StrEnum):
    """SDL ``ChangeStatus``: what the server did with one pushed change."""

    APPLIED = "APPLIED"
    MERGED = "MERGED"
    DUPLICATE = "DUPLICATE"
    REJECTED = "REJECTED"
    CONFLICT = "CONFLICT"


class IssueStatus(StrEnum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
    DISMISSED = "DISMISSED"


class Resolution(StrEnum):
    """``resolveSyncIssue``'s choices: re-apply my change, keep the server's, or just close."""

    KEEP_MINE = "KEEP_MINE"
    KEEP_THEIRS = "KEEP_THEIRS"
    DISMISS = "DISMISS"


RESOLVED_STATUS: dict[Resolution, IssueStatus] = {
    Resolution.KEEP_MINE: IssueStatus.RESOLVED,
    Resolution.KEEP_THEIRS: IssueStatus.RESOLVED,
    Resolution.DISMISS: IssueStatus.DISMISSED,
}
"""The status an issue ends in for each resolution."""
