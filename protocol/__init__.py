"""The sync protocol's vocabulary, shared by the device (``sync``) and the server (``backend``).

One definition of the wire's enums (``SyncEntity``, ``ChangeOp``, ``ChangeStatus`` in
backend/api/schema/sync.graphql), the key fields each entity travels under, which writes a
device may make, sync issues' statuses and resolutions, and the error codes of
``extensions.code``. It imports nothing of ours but ``domain``.
"""

from .entities import DEVICE_OPS, KEY_ATTRIBUTES, NOTIFICATION_FIELDS, Entity, Op, wire_key
from .errors import RETRYABLE_CODES, ErrorCode, IssueCode
from .statuses import RESOLVED_STATUS, ChangeStatus, IssueStatus, Resolution

__all__ = [
    "DEVICE_OPS",
    "KEY_ATTRIBUTES",
    "NOTIFICATION_FIELDS",
    "RESOLVED_STATUS",
    "RETRYABLE_CODES",
    "ChangeStatus",
    "Entity",
    "ErrorCode",
    "IssueCode",
    "IssueStatus",
    "Op",
    "Resolution",
    "wire_key",
]
