"""The one write path: every change goes through ``Changes`` and commits as one transaction.

It stamps ``createdAt`` / ``updatedAt``, a server-assigned ``_version`` (+1 per change) and
``_lastChangedAt``, turns deletes into tombstones (``_deleted`` with a ``_ttl``), and guards
every write with a condition on the version it read, so two requests racing on one item
cannot both win. A lost race raises ``WriteConflict`` and ``retrying`` re-runs the operation
on fresh data.

``commit`` also appends every written item to the change feed of each user who may see it, in
the same transaction (``backend/changefeed/feed.py``, docs/sync-protocol.md), and runs the context's
commit hooks (``pushChanges`` acknowledges a device's change in the same transaction). For
offline merges each write records the device it came from (``_clientId``) and, for
reflections, the version at which each field last changed (``_fieldVersions``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from domain.clock import utc_iso
from protocol.fields import MENTOR_FEEDBACK_FIELD, REFLECTION_FIELDS

from ..changefeed import feed
from ..changefeed.feed import WrittenItem
from ..errors import WriteConflict
from ..storage.base import ConditionCheck, Put, TransactAction
from ..storage.conditions import AttrNotExists, ItemNotExists, version_is
from ..storage.errors import ConditionFailed, TransactionCancelled
from ..storage.items import Item
from ..storage.tables import Table
from .context import ServiceContext

MAX_ATTEMPTS = 4
CLIENT_ATTR = "_clientId"
FIELD_VERSIONS_ATTR = "_fieldVersions"
SYSTEM_ATTRS = ("_version", "_lastChangedAt", "_deleted", "_ttl", CLIENT_ATTR, FIELD_VERSIONS_ATTR)
"""The server's bookkeeping attributes: set by the write path, never by a caller."""
FIELD_VERSIONED: dict[str, tuple[str, ...]] = {
    Table.REFLECTIONS: (*REFLECTION_FIELDS, MENTOR_FEEDBACK_FIELD),
}
"""Tables whose merge rule needs to know which fields changed after a device's base version."""


class Changes:
    """The writes of one operation, applied all together by ``commit``."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.now = utc_iso(ctx.clock.now())
        self.actions: list[TransactAction] = []
        self.written: list[WrittenItem] = []

    def create(
        self,
        table: str,
        item: Mapping[str, Any],
        *,
        replacing: Item | None = None,
        expires: datetime | None = None,
    ) -> Item:
        """A new item; ``replacing`` is the tombstone it takes the place of, if any;
        ``expires``: when storage may drop it (bookkeeping items such as refresh families)."""
        new = {k: v for k, v in item.items() if k not in SYSTEM_ATTRS}
        if expires is not None:
            new["_ttl"] = int(expires.timestamp())
        new.setdefault("createdAt", self.now)
        new["updatedAt"] = self.now
        new["_lastChangedAt"] = self.now
        if replacing is None:
            new["_version"] = 1
            self._stamp(table, new, None)
            self._put(table, new, ItemNotExists(), None)
        else:
            new["_version"] = int(replacing.get("_version", 0)) + 1
            self._stamp(table, new, None)
            self._put(table, new, _version_condition(replacing), replacing)
        return new

    def update(
        self,
        table: str,
        current: Item,
        changes: Mapping[str, Any],
        *,
        expires: datetime | None = None,
    ) -> Item:
        """``current`` with ``changes`` applied (``None`` removes an attribute); ``expires``
        as for ``create``."""
        new = {k: v for k, v in current.items() if k not in ("_deleted", "_ttl")}
        if expires is not None:
            new["_ttl"] = int(expires.timestamp())
        for name, value in changes.items():
            if name in SYSTEM_ATTRS or name == "createdAt":
                raise ValueError(f"{name} is set by the write path")
            if value is None:
                new.pop(name, None)
            else:
                new[name] = value
        new["updatedAt"] = self.now
        new["_lastChangedAt"] = self.now
        new["_version"] = int(current.get("_version", 0)) + 1
        self._stamp(table, new, current)
        self._put(table, new, _version_condition(current), current)
        return new

    def delete(self, table: str, current: Item) -> Item:
        """Tombstone ``current``: hidden from reads, kept for sync until its TTL."""
        expires = self.ctx.clock.now() + self.ctx.services.sync.settings.ttl
        new = dict(current)
        new.update(
            {
                "_deleted": True,
                "_ttl": int(expires.timestamp()),
                "updatedAt": self.now,
                "_lastChangedAt": self.now,
                "_version": int(current.get("_version", 0)) + 1,
            }
        )
        self._stamp(table, new, current)
        self._put(table, new, _version_condition(current), current)
        return new

    def require_unchanged(self, table: str, current: Item) -> None:
        """Fail the commit if ``current`` changed since it was read (a read the decision used)."""
        key = self.ctx.store.tables[table].key_of(current)
        self.actions.append(ConditionCheck(table, key, _version_condition(current)))

    def _stamp(self, table: str, new: Item, current: Item | None) -> None:
        """Record the writing device and, where merges need it, each field's last version."""
        if self.ctx.client_id is not None:
            new[CLIENT_ATTR] = self.ctx.client_id
        else:
            new.pop(CLIENT_ATTR, None)
        tracked = FIELD_VERSIONED.get(table)
        if tracked is None:
            return
        versions = dict((current or {}).get(FIELD_VERSIONS_ATTR) or {})
        for name in tracked:
            if current is None or current.get(name) != new.get(name):
                if current is None and name not in new:
                    continue
                stamp: dict[str, Any] = {"v": new["_version"]}
                if self.ctx.client_id is not None:
                    stamp["c"] = self.ctx.client_id
                versions[name] = stamp
        new[FIELD_VERSIONS_ATTR] = versions

    def _put(self, table: str, item: Item, condition: Any, before: Item | None) -> None:
        self.actions.append(Put(table, item, condition))
        self.written.append(WrittenItem(table, item, before))

    async def commit(self) -> None:
        """Apply every queued write, with its feed entries, as one transaction."""
        for hook in self.ctx.commit_hooks:
            hook.before_commit(self)
        if not self.actions:
            return
        try:
            await feed.commit(
                self.ctx.store,
                self.ctx.clock,
                self.ctx.services.sync,
                self.actions,
                self.written,
            )
        except (ConditionFailed, TransactionCancelled) as exc:
            raise WriteConflict("the item changed meanwhile; try again") from exc
        for hook in self.ctx.commit_hooks:
            hook.after_commit(self)


def _version_condition(current: Item) -> Any:
    if "_version" in current:
        return version_is(int(current["_version"]))
    return AttrNotExists("_version")


P = ParamSpec("P")
T = TypeVar("T")


def retrying(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Re-run a read-decide-write operation when it lost a race (``WriteConflict``).

    The first argument must be the ``ServiceContext``; its loader caches are cleared between
    attempts so the retry decides on fresh data.
    """

    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        ctx = args[0]
        assert isinstance(ctx, ServiceContext)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await fn(*args, **kwargs)
            except WriteConflict:
                if attempt == MAX_ATTEMPTS:
                    raise
                ctx.loaders.clear_all()
                ctx.memo.clear()
        raise AssertionError("unreachable")

    wrapper.__name__ = getattr(fn, "__name__", "wrapper")
    wrapper.__doc__ = fn.__doc__
    return wrapper
