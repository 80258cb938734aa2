"""Storage errors, the same on every engine.

StorageError
├── ConditionFailed          a write's condition did not hold
├── TransactionCancelled     a transaction did not apply; ``reasons`` says why per action
├── ItemTooLarge             over DynamoDB's 400 KB item limit
├── ValidationError          a request DynamoDB would refuse (bad key, bad cursor, ...)
└── StorageUnavailable       throttled, unreachable or busy: safe to retry later
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage failure."""


class ConditionFailed(StorageError):
    """The condition of a put, update or delete did not hold; nothing was written."""


class TransactionCancelled(StorageError):
    """A transaction was cancelled as a whole; nothing was written.

    ``reasons`` has one entry per action, in order: ``None`` for an action that was fine,
    ``"ConditionalCheckFailed"`` for one whose condition failed, or another DynamoDB code.
    """

    def __init__(self, reasons: list[str | None]) -> None:
        self.reasons = reasons
        failed = [i for i, r in enumerate(reasons) if r is not None]
        super().__init__(f"transaction cancelled; failing actions: {failed}")


class ItemTooLarge(StorageError):
    """An item would exceed 400 KB."""


class ValidationError(StorageError):
    """A request that DynamoDB would refuse: bad key types, empty keys, bad cursor, ..."""


class StorageUnavailable(StorageError):
    """The engine cannot serve the request now (throttling, connection, lock time-out)."""
