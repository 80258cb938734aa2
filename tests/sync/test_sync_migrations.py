"""Forward-only migrations: an old device file keeps its pending changes and its data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sync import migrations
from sync.database import open_engine
from sync.models import (
    BASE_ITEMS,
    DEVICE_SETTINGS,
    LOCAL_ITEMS,
    OUTBOX,
    SYNC_ISSUES,
    SYNC_STATE,
)
from sync.store import DeviceStore
from tests.sync.signed_in import USER, signed_in


def _raw_engine(path):
    return sa.create_engine(f"sqlite:///{path}")


def make_v1_device_file(path) -> None:
    """A file as the first release wrote it: schema 1, a signed-in user, synced rows, and
    two changes still waiting in the outbox."""
    engine = _raw_engine(path)
    assert migrations.migrate(engine, target=1) == 1
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO sync_state (id, client_id, user_id, access_token, cursor,"
            " last_mutation_id, last_acked_mutation_id) VALUES"
            f" (1, 'client-v1', '{USER}', 'token-1', 'cursor-41', 7, 5)"
        )
        todo_key = f'{{"todoId":"t1","userId":"{USER}"}}'
        conn.exec_driver_sql(
            "INSERT INTO local_items (entity, key_json, data, version, deleted, updated_at)"
            " VALUES ('TODO', ?, ?, 3, 0, '2026-11-01T00:00:00Z'),"
            ' (\'GOAL\', \'{"goalId":"g1"}\', \'{"goalId":"g1","title":"Run"}\', 2, 0, \'x\')',
            (todo_key, f'{{"todoId":"t1","userId":"{USER}","text":"mine","done":true}}'),
        )
        conn.exec_driver_sql(
            "INSERT INTO base_items (entity, key_json, data, version, deleted) VALUES"
            " ('TODO', ?, ?, 3, 0)",
            (todo_key, f'{{"todoId":"t1","userId":"{USER}","text":"theirs","done":false}}'),
        )
        conn.exec_driver_sql(
            "INSERT INTO outbox (mutation_id, entity, key_json, op, base_version, fields,"
            " client_time, attempts, created_at) VALUES"
            " (6, 'TODO', ?, 'PATCH', 3, '{\"text\":\"mine\"}', 't', 2, 't'),"
            " (7, 'TODO', ?, 'PATCH', 3, '{\"done\":true}', 't', 0, 't')",
            (todo_key, todo_key),
        )
    engine.dispose()


def test_a_v1_file_with_pending_changes_migrates_with_its_outbox_and_rows_intact(tmp_path):
    path = tmp_path / "old-device.db"
    make_v1_device_file(path)
    with DeviceStore(path) as store:
        with store.transaction(publish=False) as conn:
            assert migrations.current_version(conn) == migrations.LATEST
            pending = conn.exec_driver_sql(
                "SELECT mutation_id, op, base_version, fields, attempts, local FROM outbox"
            ).all()
        assert [tuple(r) for r in pending] == [
            (6, "PATCH", 3, '{"text":"mine"}', 2, None),
            (7, "PATCH", 3, '{"done":true}', 0, None),
        ]
        record = store.sync_state()
        assert (record.client_id, record.cursor, record.last_mutation_id) == (
            "client-v1",
            "cursor-41",
            7,
        )
        todo = store.get("TODO", {"userId": USER, "todoId": "t1"})
        assert todo is not None and (todo["text"], todo["_pending"]) == ("mine", True)
        assert store.get("GOAL", {"goalId": "g1"}) == {
            "goalId": "g1",
            "title": "Run",
            "_pending": False,
        }
        # and the old file keeps working: the next id follows the old ones
        signed_in(store)
        store.create_todo("after the upgrade")
        assert store.sync_state().last_mutation_id == 8


def test_the_migrated_schema_is_exactly_what_the_models_declare(tmp_path):
    engine = open_engine(tmp_path / "fresh.db")
    with engine.connect() as conn:
        for model_table in (
            LOCAL_ITEMS,
            BASE_ITEMS,
            OUTBOX,
            SYNC_STATE,
            SYNC_ISSUES,
            DEVICE_SETTINGS,
        ):
            columns = {
                row.name: (row.type, not row.notnull, bool(row.pk))
                for row in conn.exec_driver_sql(f"PRAGMA table_info({model_table.name})")
            }
            declared = {
                c.name: (str(c.type), bool(c.nullable), bool(c.primary_key))
                for c in model_table.columns
            }
            assert columns == declared, model_table.name
    engine.dispose()


def test_migrating_again_changes_nothing_and_a_newer_file_is_refused(tmp_path):
    path = tmp_path / "d.db"
    engine = open_engine(path)
    assert migrations.migrate(engine) == migrations.LATEST
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE schema_version SET version = 99")
    with pytest.raises(migrations.NewerSchema):
        migrations.migrate(engine)
    engine.dispose()


def test_migration_steps_only_add():
    """No step may drop, empty or rebuild a table: the outbox must survive every upgrade."""
    for statements in migrations.STEPS:
        for statement in statements:
            words = statement.split()
            assert words[0].upper() in {"CREATE", "ALTER"}, statement
            if words[0].upper() == "ALTER":
                assert words[3].upper() in {"ADD", "RENAME"}, statement
