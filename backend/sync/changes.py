"""A device change as the server reads it (``ChangeInput``), checked before anything runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from domain.errors import RuleViolation
from domain.text import clean_value
from protocol.entities import Entity, Op

from ..changefeed.entities import TABLE_OF_ENTITY, parse_wire_key


@dataclass(frozen=True)
class DeviceChange:
    mutation_id: int
    entity: Entity
    raw_key: Any
    op: Op
    base_version: int | None
    fields: Any
    client_time: str | None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> DeviceChange:
        """The shape GraphQL cannot check; the key and fields are checked per change later."""
        mutation_id = data.get("mutationId")
        if isinstance(mutation_id, bool) or not isinstance(mutation_id, int) or mutation_id < 1:
            raise RuleViolation("mutation ids start at 1", field="mutationId")
        entity, op = data.get("entity"), data.get("op")
        if entity not in TABLE_OF_ENTITY:
            raise RuleViolation("not a SyncEntity", field="entity")
        if op not in tuple(Op):
            raise RuleViolation("op is PUT, PATCH or DELETE", field="op")
        base = data.get("baseVersion")
        if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 0):
            raise RuleViolation("a version is a whole number", field="baseVersion")
        return cls(
            mutation_id=mutation_id,
            entity=Entity(entity),
            raw_key=data.get("key"),
            op=Op(op),
            base_version=base,
            fields=data.get("fields"),
            client_time=data.get("clientTime"),
        )

    def cleaned(self) -> DeviceChange:
        """This change with its key and fields as clean text (``clean_value``); a lone
        surrogate, NUL, control character or NaN is bad input on ``key`` or ``fields``."""
        return replace(
            self,
            raw_key=clean_value(self.raw_key, field="key"),
            fields=clean_value(self.fields, field="fields"),
        )

    @property
    def table(self) -> str:
        return TABLE_OF_ENTITY[self.entity]

    def key(self) -> dict[str, str]:
        """The wire key, checked; a malformed key is bad input on ``key``."""
        key = parse_wire_key(self.entity, self.raw_key)
        if key is None:
            raise RuleViolation(f"not a {self.entity} key", field="key")
        return key

    def field_map(self) -> dict[str, Any]:
        """``fields`` as an object (PUT and PATCH need one)."""
        if self.fields is None and self.op is Op.DELETE:
            return {}
        if not isinstance(self.fields, dict):
            raise RuleViolation("PUT and PATCH send the fields as a JSON object", field="fields")
        return dict(self.fields)
