"""The one write path: every change goes through ``Changes`` and commits as one transaction.

It stamps ``createdAt`` / ``updatedAt``, a server-assigned ``_version`` (+1 per change) and
``_lastChangedAt``, turns deletes into tombstones (``_deleted`` with a ``_ttl``), and guards
every write with a condition on the version it read, so two requests racing on one item
cannot both win. A lost race raises ``WriteConflict`` and ``retrying`` re-runs the operation
on fresh data. The sync change feed hooks in at ``commit`` (see docs/sync-protocol.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

from domain.clock import utc_iso

from ..errors import WriteConflict
from ..storage.base import ConditionCheck, Put, TransactAction
from ..storage.conditions import AttrNotExists, ItemNotExists, version_is
from ..storage.errors import ConditionFailed, TransactionCancelled
from ..storage.items import Item
from .context import ServiceContext

TOMBSTONE_TTL = timedelta(days=180)
MAX_ATTEMPTS = 4
SYSTEM_ATTRS = ("_version", "_lastChangedAt", "_deleted", "_ttl")


class Changes:
    """The writes of one operation, applied all together by ``commit``."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.now = utc_iso(ctx.clock.now())
        self.actions: list[TransactAction] = []
        self.written: list[tuple[str, Item]] = []

    def create(self, table: str, item: Mapping[str, Any], *, replacing: Item | None = None) -> Item:
        """A new item; ``replacing`` is the tombstone it takes the place of, if any."""
        new = {k: v for k, v in item.items() if k not in SYSTEM_ATTRS}
        new.setdefault("createdAt", self.now)
        new["updatedAt"] = self.now
        new["_lastChangedAt"] = self.now
        if replacing is None:
            new["_version"] = 1
            self._put(table, new, ItemNotExists())
        else:
            new["_version"] = int(replacing.get("_version", 0)) + 1
            self._put(table, new, _version_condition(replacing))
        return new

    def update(self, table: str, current: Item, changes: Mapping[str, Any]) -> Item:
        """``current`` with ``changes`` applied (``None`` removes an attribute)."""
        new = {k: v for k, v in current.items() if k not in ("_deleted", "_ttl")}
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
        self._put(table, new, _version_condition(current))
        return new

    def delete(self, table: str, current: Item) -> Item:
        """Tombstone ``current``: hidden from reads, kept for sync until its TTL."""
        expires = self.ctx.clock.now() + TOMBSTONE_TTL
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
        self._put(table, new, _version_condition(current))
        return new

    def require_unchanged(self, table: str, current: Item) -> None:
        """Fail the commit if ``current`` changed since it was read (a read the decision used)."""
        key = self.ctx.store.tables[table].key_of(current)
        self.actions.append(ConditionCheck(table, key, _version_condition(current)))

    def _put(self, table: str, item: Item, condition: Any) -> None:
        self.actions.append(Put(table, item, condition))
        self.written.append((table, item))

    async def commit(self) -> None:
        if not self.actions:
            return
        try:
            if len(self.actions) == 1 and isinstance(self.actions[0], Put):
                put = self.actions[0]
                await self.ctx.store.put(put.table, put.item, condition=put.condition)
            else:
                await self.ctx.store.transact(self.actions)
        except (ConditionFailed, TransactionCancelled) as exc:
            raise WriteConflict("the item changed meanwhile; try again") from exc


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
