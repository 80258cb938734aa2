"""One vocabulary: the protocol's enums are the SDL's, and both sides use the same objects."""

from __future__ import annotations

import graphql
import pytest

import sync
import sync.entities
import sync.wire
from backend.api.sdl import build_sdl_schema
from backend.changefeed.entities import ENTITY_OF_TABLE, TABLE_OF_ENTITY, parse_wire_key
from backend.storage.tables import ALL_TABLES, Table
from domain import errors as domain_errors
from protocol import (
    DEVICE_OPS,
    GOAL_FIELDS,
    HABIT_FIELDS,
    KEY_ATTRIBUTES,
    REFLECTION_FIELDS,
    REFLECTION_TEXT_FIELDS,
    SESSION_REQUEST_FIELDS,
    TODO_FIELDS,
    ChangeStatus,
    Entity,
    ErrorCode,
    Op,
    wire_key,
)


def sdl_enum(name: str) -> set[str]:
    enum = build_sdl_schema().get_type(name)
    assert isinstance(enum, graphql.GraphQLEnumType)
    return set(enum.values)


@pytest.mark.parametrize(
    ("sdl_name", "values"),
    [("SyncEntity", Entity), ("ChangeOp", Op), ("ChangeStatus", ChangeStatus)],
)
def test_the_enums_are_the_sdls(sdl_name: str, values: type) -> None:
    assert {v.value for v in values} == sdl_enum(sdl_name)  # type: ignore[attr-defined]


def test_the_device_uses_the_protocols_names() -> None:
    assert sync.Entity is Entity and sync.Op is Op
    assert sync.entities.Entity is Entity
    assert sync.wire.ChangeStatus is ChangeStatus


def sdl_input_fields(*names: str) -> set[str]:
    found: set[str] = set()
    for name in names:
        kind = build_sdl_schema().get_type(name)
        assert isinstance(kind, graphql.GraphQLInputObjectType)
        found |= set(kind.fields)
    return found


@pytest.mark.parametrize(
    ("entity", "fields", "inputs", "create_only"),
    [
        (Entity.GOAL, GOAL_FIELDS, ("CreateGoalInput", "UpdateGoalInput"), set()),
        (Entity.HABIT, HABIT_FIELDS, ("CreateHabitInput", "UpdateHabitInput"), {"goalId"}),
        (Entity.TODO, TODO_FIELDS, ("CreateTodoInput", "UpdateTodoInput"), set()),
        (
            Entity.REFLECTION,
            REFLECTION_FIELDS,
            ("CreateReflectionInput", "CreateWeeklyReflectionInput", "UpdateReflectionInput"),
            set(),
        ),
        (Entity.SESSION, SESSION_REQUEST_FIELDS, ("CreateSessionInput",), set()),
    ],
)
def test_a_device_writes_the_fields_the_api_takes(
    entity: Entity, fields: tuple[str, ...], inputs: tuple[str, ...], create_only: set[str]
) -> None:
    """Offline and online writes take the same fields: the inputs' fields but the item's key
    (and a habit's goal, which only its creation reads)."""
    assert set(fields) == sdl_input_fields(*inputs) - set(KEY_ATTRIBUTES[entity]) - create_only
    assert len(fields) == len(set(fields))


def test_the_clashing_texts_are_reflection_fields() -> None:
    assert set(REFLECTION_TEXT_FIELDS) <= set(REFLECTION_FIELDS)


def test_every_entity_has_a_key_and_a_table() -> None:
    assert set(KEY_ATTRIBUTES) == set(Entity) == set(TABLE_OF_ENTITY)
    assert set(DEVICE_OPS) <= set(Entity)
    assert {ENTITY_OF_TABLE[table] for table in TABLE_OF_ENTITY.values()} == set(Entity)


def test_every_table_is_named_once() -> None:
    assert sorted(t.name for t in ALL_TABLES) == sorted(t.value for t in Table)


def test_domain_error_codes_are_protocol_codes() -> None:
    kinds = [domain_errors.DomainError, *domain_errors.DomainError.__subclasses__()]
    assert {kind.code for kind in kinds} <= {code.value for code in ErrorCode}


def test_keys_travel_as_the_protocol_says() -> None:
    item = {"habitId": "h1", "date": "2026-11-30", "userId": "u1", "note": "x"}
    assert wire_key(Entity.HABIT_COMPLETION, item) == {"habitId": "h1", "date": "2026-11-30"}
    assert parse_wire_key("HABIT_COMPLETION", {"habitId": "h1", "date": "2026-11-30"}) == {
        "habitId": "h1",
        "date": "2026-11-30",
    }
    assert parse_wire_key(Entity.HABIT_COMPLETION, {"habitId": "h1"}) is None
    assert parse_wire_key(Entity.TODO, {"userId": "u", "todoId": ""}) is None
