"""What syncs, as the device checks it: the protocol's names (``protocol``) and the device's
refusal of a write the protocol never lets it make."""

from __future__ import annotations

from protocol.entities import DEVICE_OPS, KEY_ATTRIBUTES, Entity, Op
from protocol.fields import NOTIFICATION_FIELDS

__all__ = [
    "DEVICE_OPS",
    "KEY_ATTRIBUTES",
    "NOTIFICATION_FIELDS",
    "Entity",
    "Op",
    "check_device_write",
    "parse_entity",
]


def parse_entity(entity: Entity | str) -> Entity:
    try:
        return Entity(entity)
    except ValueError:
        raise ValueError(f"unknown sync entity {entity!r}") from None


def check_device_write(entity: Entity, op: Op, fields: dict[str, object] | None) -> None:
    """Refuse, before anything is stored, a write the protocol never lets a device make."""
    allowed = DEVICE_OPS.get(entity)
    if allowed is None:
        raise ValueError(f"{entity} is read-only on the device")
    if op not in allowed:
        raise ValueError(f"{op} is not allowed on {entity}")
    if entity is Entity.NOTIFICATION and fields and set(fields) - NOTIFICATION_FIELDS:
        raise ValueError("only 'read' of a notification can change")
