"""The visible row: the last server-confirmed copy (the base) with the pending changes on top.

Pure functions, so the rule is the same wherever a row is recomputed: after a local write,
after a push result and after a pulled change. A row is never edited in place by sync; it is
always rebuilt from its base and the outbox entries still waiting for the server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .entities import Op


@dataclass(frozen=True)
class Snapshot:
    """One copy of an item: its attributes, the server ``_version`` it rests on, tombstone flag."""

    data: dict[str, Any]
    version: int | None = None
    deleted: bool = False


@dataclass(frozen=True)
class PendingChange:
    """An outbox entry as far as the visible row is concerned.

    ``local`` holds display-only attributes for an item the device creates (its owner,
    ``createdAt``, the server's defaults such as a new goal's ``status``): they make the row
    complete on screen at once but are never sent, since the server sets them itself.
    """

    op: Op
    fields: Mapping[str, Any] | None = None
    local: Mapping[str, Any] | None = field(default=None)


def apply_change(row: Snapshot | None, key: Mapping[str, str], change: PendingChange) -> Snapshot:
    """``row`` after one pending change; the key attributes always win over anything else."""
    fields = dict(change.fields or {})
    version = row.version if row else None
    if change.op is Op.DELETE:
        data = dict(row.data) if row else dict(key)
        return Snapshot({**data, **key}, version, deleted=True)
    if row is None or (row.deleted and change.op is Op.PUT):
        data = {**(change.local or {}), **fields, **key}
        return Snapshot(data, version, deleted=False)
    # A PATCH never revives a tombstone on its own: whether an edit beats a delete is the
    # server's call (section 5 of the protocol), and the next result or pull shows it.
    return replace(row, data={**row.data, **fields, **key})


def visible_row(
    base: Snapshot | None, key: Mapping[str, str], pending: Iterable[PendingChange]
) -> Snapshot | None:
    """The row the app sees: ``base`` with every pending change applied in mutation-id order."""
    row = base
    for change in pending:
        row = apply_change(row, key, change)
    return row
