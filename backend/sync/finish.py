"""Writes that must commit together with the LAST write of a device change.

A device change may take several service calls (create a todo, then mark it done); the
acknowledgement (the client's ``lastMutationId``) and any sync issue ride on the final one,
through the context's commit hook, so a crash in between leaves the change unacknowledged
and the device's retry re-applies it (every step is idempotent) instead of losing a part.
"""

from __future__ import annotations

import uuid
from typing import Any

from protocol.statuses import IssueStatus, Resolution

from ..services.context import PendingWrites, ServiceContext
from ..services.writes import Changes
from ..storage.items import Item
from ..storage.tables import Table

ISSUES_TABLE = Table.SYNC_ISSUES
STATE_TABLE = Table.SYNC_STATE


def client_state_key(user_id: str, client_id: str) -> dict[str, str]:
    return {"ownerId": user_id, "name": f"client#{client_id}"}


class Finisher:
    """A commit hook that adds its writes to the first commit after ``arm()``, once."""

    def __init__(self) -> None:
        self.armed = False
        self.done = False
        self.issue: dict[str, Any] | None = None
        self.issue_item: Item | None = None

    def arm(self) -> None:
        self.armed = True

    def new_issue(self, **fields: Any) -> str:
        """Create a SyncIssue with the final write; returns its id."""
        issue_id = str(uuid.uuid4())
        self.issue = {**fields, "issueId": issue_id, "status": IssueStatus.OPEN}
        return issue_id

    def before_commit(self, pending: PendingWrites) -> None:
        if self.armed and not self.done:
            if self.issue is not None:
                self.issue_item = pending.create(ISSUES_TABLE, self.issue)
            self.queue(pending)

    def after_commit(self, pending: PendingWrites) -> None:
        if self.armed and not self.done:
            self.done = True
            self.committed(pending)

    def queue(self, pending: PendingWrites) -> None:
        """The finisher's own writes."""

    def committed(self, pending: PendingWrites) -> None:
        """Called once the final write is stored."""

    async def finish(self, ctx: ServiceContext) -> None:
        """Commit the finisher's writes on their own when no service write carried them."""
        if not self.done:
            self.arm()
            await Changes(ctx).commit()


class Acknowledgement(Finisher):
    """Sets the client's ``lastMutationId`` under the version of the record read before."""

    def __init__(self, user_id: str, client_id: str, record: Item | None, mutation_id: int):
        super().__init__()
        self.user_id = user_id
        self.client_id = client_id
        self.record = record
        self.mutation_id = mutation_id
        self._written: Item | None = None

    def queue(self, pending: PendingWrites) -> None:
        if self.record is None:
            self._written = pending.create(
                STATE_TABLE,
                {
                    **client_state_key(self.user_id, self.client_id),
                    "clientId": self.client_id,
                    "lastMutationId": self.mutation_id,
                },
            )
        else:
            self._written = pending.update(
                STATE_TABLE, self.record, {"lastMutationId": self.mutation_id}
            )

    def committed(self, pending: PendingWrites) -> None:
        self.record = self._written


class IssueClosing(Finisher):
    """Closes a sync issue in the same transaction as the write that resolves it."""

    def __init__(self, issue: Item, status: IssueStatus, resolution: Resolution) -> None:
        super().__init__()
        self.stored = issue
        self.status = status
        self.resolution = resolution
        self.closed: Item | None = None

    def queue(self, pending: PendingWrites) -> None:
        self.closed = pending.update(
            ISSUES_TABLE, self.stored, {"status": self.status, "resolution": self.resolution}
        )
