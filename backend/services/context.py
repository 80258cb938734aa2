"""What one request's service calls share: storage, the clock, the caller and read caches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from domain.clock import Clock

from ..auth.throttle import SignInThrottle
from ..auth.tokens import TokenIssuer
from ..changefeed.runtime import SyncRuntime
from ..errors import Unauthenticated
from ..storage.base import Store
from ..storage.items import Item
from .loaders import Loaders


@dataclass(frozen=True)
class Viewer:
    """The signed-in caller."""

    user_id: str
    is_admin: bool = False


@dataclass(frozen=True)
class Services:
    """Process-wide dependencies, built once in the composition root."""

    store: Store
    clock: Clock
    tokens: TokenIssuer
    sync: SyncRuntime = field(default_factory=SyncRuntime)
    """Offline sync's per-process state: settings, pokes, feed locks."""
    sign_in_throttle: SignInThrottle = field(default_factory=SignInThrottle)


class PendingWrites(Protocol):
    """The writes of one commit as a hook sees them (``writes.Changes`` is the one kind)."""

    def create(
        self, table: str, item: Mapping[str, Any], *, replacing: Item | None = None
    ) -> Item: ...

    def update(self, table: str, current: Item, changes: Mapping[str, Any]) -> Item: ...


class CommitHook(Protocol):
    """Extra writes for every commit of a context (sync's acknowledgement of a device change).

    ``before_commit`` may queue writes into ``pending``; ``after_commit`` runs once they are
    stored. Both run for each ``Changes.commit`` of the context, also for one with no writes.
    """

    def before_commit(self, pending: PendingWrites) -> None: ...

    def after_commit(self, pending: PendingWrites) -> None: ...


@dataclass
class ServiceContext:
    """Per-request: the process dependencies plus who is calling and per-request loaders."""

    services: Services
    viewer: Viewer | None
    auth_error: Unauthenticated | None = None
    loaders: Loaders = field(init=False)
    memo: dict[Any, Any] = field(init=False, default_factory=dict)
    """Per-request results computed once and shared by several fields (e.g. habit stats)."""
    client_id: str | None = None
    """The device whose offline change this context applies (``pushChanges``), else None."""
    commit_hooks: list[CommitHook] = field(default_factory=list)
    client_address: str | None = None
    """The caller's network address (sign-in throttling), when known."""

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.services.store)

    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def clock(self) -> Clock:
        return self.services.clock

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise self.auth_error or Unauthenticated("sign in first")
        return self.viewer
