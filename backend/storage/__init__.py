"""Storage: the spec's tables on an embedded SQLite engine or on DynamoDB, behind one interface."""

from .base import ConditionCheck, Delete, Page, Put, Store, TransactAction, Update
from .conditions import (
    AllOf,
    AttrEquals,
    AttrNotExists,
    Condition,
    ItemExists,
    ItemNotExists,
    SortKeyCondition,
    version_is,
)
from .errors import (
    ConditionFailed,
    ItemTooLarge,
    StorageError,
    StorageUnavailable,
    TransactionCancelled,
    ValidationError,
)
from .items import Item, Key
from .tables import (
    ALL_TABLES,
    SPEC_TABLES,
    SYNC_TABLES,
    IndexSpec,
    KeyAttr,
    TableRegistry,
    TableSpec,
)

__all__ = [
    "ALL_TABLES",
    "SPEC_TABLES",
    "SYNC_TABLES",
    "AllOf",
    "AttrEquals",
    "AttrNotExists",
    "Condition",
    "ConditionCheck",
    "ConditionFailed",
    "Delete",
    "IndexSpec",
    "Item",
    "ItemExists",
    "ItemNotExists",
    "ItemTooLarge",
    "Key",
    "KeyAttr",
    "Page",
    "Put",
    "SortKeyCondition",
    "StorageError",
    "StorageUnavailable",
    "Store",
    "TableRegistry",
    "TableSpec",
    "TransactAction",
    "TransactionCancelled",
    "Update",
    "ValidationError",
    "version_is",
]
