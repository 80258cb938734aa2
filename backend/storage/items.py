"""The shared layer in front of both engines: it enforces DynamoDB's own rules on items and keys.

Emulators are lax where DynamoDB is strict (empty-string index keys, oversized items), so the
rules live here and both engines refuse exactly the same things.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ItemTooLarge, ValidationError
from .tables import KeyAttr, TableSpec

MAX_ITEM_BYTES = 400 * 1024
MAX_TRANSACTION_ACTIONS = 100
MAX_NUMBER_DIGITS = 38

Item = dict[str, Any]
ItemView = Mapping[str, Any]
"""An item only read: a stored ``Item`` or a typed view of one (``services.records``)."""
Key = dict[str, Any]


def _check_value(value: Any, path: str) -> Any:
    """Validate one attribute value and return it normalised (integral floats become ints)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_NUMBER_DIGITS:
            raise ValidationError(f"{path}: number has more than {MAX_NUMBER_DIGITS} digits")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{path}: numbers must be finite")
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValidationError(f"{path}: map keys must be strings")
            out[k] = _check_value(v, f"{path}.{k}")
        return out
    if isinstance(value, list | tuple):
        return [_check_value(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise ValidationError(f"{path}: unsupported type {type(value).__name__}")


def check_key_value(attr: KeyAttr, value: Any, where: str) -> None:
    if attr.type == "S":
        if not isinstance(value, str):
            raise ValidationError(f"{where}: key attribute {attr.name} must be a string")
        if value == "":
            raise ValidationError(f"{where}: key attribute {attr.name} must not be empty")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{where}: key attribute {attr.name} must be a number")


def value_size(value: Any) -> int:
    """Bytes DynamoDB counts for a value (after AWS's published sizing rules)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, int | float):
        digits = len(repr(abs(value)).replace(".", "").replace("e", "").lstrip("0")) or 1
        return (digits + 1) // 2 + 1
    if isinstance(value, Mapping):
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in value.items())
    return 3 + sum(1 + value_size(v) for v in value)


def item_size(item: Mapping[str, Any]) -> int:
    return sum(len(k.encode("utf-8")) + value_size(v) for k, v in item.items())


def prepare_item(table: TableSpec, item: Mapping[str, Any]) -> Item:
    """Validate and normalise an item for writing: keys, index keys, values, size.

    Top-level ``None`` values are dropped (an absent attribute, so sparse indexes work);
    derived attributes are recomputed from their sources.
    """
    out: Item = {}
    for name, value in item.items():
        if value is not None:
            out[name] = _check_value(value, name)
    for derived in table.derived:
        if derived.source in out:
            out[derived.name] = derived.compute(out[derived.source])
        else:
            out.pop(derived.name, None)
    check_key(table, {n: out.get(n) for n in table.key_names}, where=table.name)
    for index in table.indexes:
        for attr in (index.pk, index.sk):
            if attr is not None and attr.name in out:
                check_key_value(attr, out[attr.name], f"{table.name}.{index.name}")
    size = item_size(out)
    if size > MAX_ITEM_BYTES:
        raise ItemTooLarge(f"{table.name}: item is {size} bytes, the limit is {MAX_ITEM_BYTES}")
    return out


def check_key(table: TableSpec, key: Mapping[str, Any], *, where: str | None = None) -> Key:
    """Validate a primary key: exactly the key attributes, of the right types, not empty."""
    where = where or table.name
    if set(key) != set(table.key_names):
        raise ValidationError(
            f"{where}: key must have exactly {list(table.key_names)}, got {sorted(key)}"
        )
    for attr in (table.pk, table.sk):
        if attr is not None:
            if key.get(attr.name) is None:
                raise ValidationError(f"{where}: key attribute {attr.name} is missing")
            check_key_value(attr, key[attr.name], where)
    return {n: key[n] for n in table.key_names}


def check_update(
    table: TableSpec,
    set_fields: Mapping[str, Any],
    remove: Sequence[str],
    add: Mapping[str, int | float],
) -> tuple[Item, list[str]]:
    """Validate an update's parts; returns (fields to set incl. derived, fields to remove)."""
    touched = [*set_fields, *remove, *add]
    if len(touched) != len(set(touched)):
        raise ValidationError(f"{table.name}: an attribute appears twice in one update")
    for name in touched:
        if name in table.key_names:
            raise ValidationError(f"{table.name}: cannot update key attribute {name}")
        if any(d.name == name for d in table.derived):
            raise ValidationError(f"{table.name}: {name} is derived and cannot be set")
    for name, amount in add.items():
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ValidationError(f"{table.name}: add {name} needs a number")
    sets: Item = {}
    removes = list(remove)
    for name, value in set_fields.items():
        if value is None:
            removes.append(name)
        else:
            sets[name] = _check_value(value, name)
    for derived in table.derived:
        if derived.source in sets:
            sets[derived.name] = derived.compute(sets[derived.source])
        elif derived.source in removes:
            removes.append(derived.name)
    for index in table.indexes:
        for attr in (index.pk, index.sk):
            if attr is not None and attr.name in sets:
                check_key_value(attr, sets[attr.name], f"{table.name}.{index.name}")
    if item_size(sets) > MAX_ITEM_BYTES:
        raise ItemTooLarge(f"{table.name}: update is larger than {MAX_ITEM_BYTES} bytes")
    return sets, removes


def apply_update(
    item: Item | None,
    key: Key,
    sets: Mapping[str, Any],
    removes: Sequence[str],
    add: Mapping[str, int | float],
) -> Item:
    """The item after an update, as DynamoDB computes it (an absent item starts from its key)."""
    new: Item = dict(item) if item is not None else dict(key)
    new.update(sets)
    for name in removes:
        new.pop(name, None)
    for name, amount in add.items():
        current = new.get(name, 0)
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ValidationError(f"cannot add to non-number attribute {name}")
        new[name] = _check_value(current + amount, name)
    return new
