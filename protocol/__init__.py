"""The sync protocol's vocabulary, shared by the device (``sync``) and the server (``backend``).

One definition of the wire's enums (``SyncEntity``, ``ChangeOp``, ``ChangeStatus`` in
backend/api/schema/sync.graphql), the key fields each entity travels under, which writes a
device may make and which fields they carry, sync issues' statuses and resolutions, and the
error codes of ``extensions.code``. It imports nothing of ours but ``domain``.
"""

from .entities import DEVICE_OPS, KEY_ATTRIBUTES, Entity, Op, wire_key
from .errors import RETRYABLE_CODES, ErrorCode, IssueCode
from .fields import (
    COMPLETION_NOTE_FIELDS,
    GOAL_FIELDS,
    HABIT_FIELDS,
    MENTOR_FEEDBACK_FIELD,
    NOTIFICATION_FIELDS,
    REFLECTION_FIELDS,
    REFLECTION_TEXT_FIELDS,
    SESSION_REQUEST_FIELDS,
    TODO_FIELDS,
)
from .statuses import RESOLVED_STATUS, ChangeStatus, IssueStatus, Resolution

__all__ = [
    "COMPLETION_NOTE_FIELDS",
    "DEVICE_OPS",
    "GOAL_FIELDS",
    "HABIT_FIELDS",
    "KEY_ATTRIBUTES",
    "MENTOR_FEEDBACK_FIELD",
    "NOTIFICATION_FIELDS",
    "REFLECTION_FIELDS",
    "REFLECTION_TEXT_FIELDS",
    "SESSION_REQUEST_FIELDS",
    "TODO_FIELDS",
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
