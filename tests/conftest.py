"""Fixtures shared by every test: real storage engines (SQLite file, DynamoDB on DynamoDB Local,
or on moto where Java is missing)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.storage.dynamodb_engine import DynamoDBEngine, serialize
from backend.storage.engine import Engine
from backend.storage.sqlite_engine import SQLiteEngine
from harness.processes import DynamoDBEmulator

# Tests never touch the OS keyring (a developer's own Keychain or Secret Service): devices keep
# their tokens in the file unless a test sets an in-memory keyring (tests/sync/memory_keyring.py).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

# The process harness (moto, server processes) and the in-process API client, as fixtures.
pytest_plugins = ("harness.pytest_plugin", "tests.api.asgi", "tests.sync.memory_keyring")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", help="run the long randomized soak tests")
    parser.addoption(
        "--mutants", action="store_true", help="run the mutation check (tests/mutation)"
    )
    parser.addoption(
        "--engines",
        default="sqlite,dynamodb",
        help="comma-separated storage engines to run the engine-parametrized tests on",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for marker in ("soak", "mutants"):
        if config.getoption(f"--{marker}"):
            continue
        skip = pytest.mark.skip(reason=f"{marker} test: run with --{marker}")
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


def engine_params(config: pytest.Config) -> list[str]:
    return [e.strip() for e in str(config.getoption("--engines")).split(",") if e.strip()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        engines = engine_params(metafunc.config)
        if metafunc.definition.get_closest_marker("dynamodb"):
            engines = [e for e in engines if e == "dynamodb"]
        metafunc.parametrize("engine_name", engines, scope="session")


async def empty_tables(engine: DynamoDBEngine) -> None:
    """Delete every item of every table: cheaper than re-creating 17 tables."""
    for spec in engine.tables:
        cursor = None
        while True:
            page = await engine.scan(spec.name, limit=1000, cursor=cursor)
            for start in range(0, len(page.items), 25):
                batch = page.items[start : start + 25]
                await engine._call(
                    "batch_write_item",
                    RequestItems={
                        engine.table_name(spec): [
                            {"DeleteRequest": {"Key": serialize(spec.key_of(i))}} for i in batch
                        ]
                    },
                )
            cursor = page.cursor
            if cursor is None:
                break


@pytest.fixture
async def store(
    engine_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Engine]:
    """A fresh, empty store with all the spec's tables, on the engine under test."""
    engine: Engine
    if engine_name == "sqlite":
        engine = SQLiteEngine(tmp_path / "store.db")
    else:
        server: DynamoDBEmulator = request.getfixturevalue("dynamodb_server")
        dynamo = DynamoDBEngine(endpoint_url=server.url, table_prefix="test-")
        if server.tables_ready_at != server.generation:
            server.reset()
            dynamo.create_tables()
            server.tables_ready_at = server.generation
        else:
            await empty_tables(dynamo)
        engine = dynamo
    yield engine
    await engine.close()
