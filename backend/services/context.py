"""What one request's service calls share: storage, the clock, the caller and read caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.clock import Clock

from ..auth.tokens import TokenIssuer
from ..errors import Unauthenticated
from ..storage.base import Store
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


@dataclass
class ServiceContext:
    """Per-request: the process dependencies plus who is calling and per-request loaders."""

    services: Services
    viewer: Viewer | None
    auth_error: Unauthenticated | None = None
    loaders: Loaders = field(init=False)
    memo: dict[Any, Any] = field(init=False, default_factory=dict)
    """Per-request results computed once and shared by several fields (e.g. habit stats)."""

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
