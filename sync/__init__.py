"""The offline-first sync engine: local store, outbox, push and pull (see docs/sync-protocol).

The app uses ``DeviceStore`` for every read and write (offline, at local speed) and runs a
``SyncEngine`` with a ``GqlRemote`` to exchange changes with the server.
"""

from .engine import SyncEngine, SyncReport
from .entities import Entity, Op
from .errors import AuthError, FatalError, NotSignedIn, RetryableError, SyncError, Throttled
from .issues import Issue
from .remote import GqlRemote, Remote
from .status import SyncStatus
from .store import DeviceStore

__all__ = [
    "AuthError",
    "DeviceStore",
    "Entity",
    "FatalError",
    "GqlRemote",
    "Issue",
    "NotSignedIn",
    "Op",
    "Remote",
    "RetryableError",
    "SyncEngine",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "Throttled",
]
