"""The harness as pytest fixtures (registered by tests/conftest.py): DynamoDB emulators for
the session and ``server_process(db, ...)`` for servers stopped at the end of the session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.dynamodb_local import start_dynamodb
from harness.processes import DUMMY_AWS, DynamoDBEmulator, RedisServer, ServerProcess

for _name, _value in DUMMY_AWS.items():  # the in-process DynamoDB clients sign with these
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session")
def dynamodb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DynamoDBEmulator]:
    """The DynamoDB of the storage tests: DynamoDB Local, or moto where Java is missing."""
    with start_dynamodb(tmp_path_factory.mktemp("dynamodb") / "dynamodb.log") as server:
        yield server


@pytest.fixture(scope="session")
def servers_dynamodb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DynamoDBEmulator]:
    """A second one for the growlink server processes: the storage tests reset theirs, which
    would drop the tables of a server still running."""
    with start_dynamodb(tmp_path_factory.mktemp("servers-dynamodb") / "dynamodb.log") as server:
        yield server


ServerStarter = Callable[..., ServerProcess]


@pytest.fixture(scope="session")
def server_process() -> Iterator[ServerStarter]:
    """``server_process(db, **options)`` starts a server; every one still running is stopped
    at the end of the session."""
    started: list[ServerProcess] = []

    def start(db: Path, **options: Any) -> ServerProcess:
        started.append(ServerProcess(db, **options))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Debian's redis-server, the broker of the multi-process tests; skipped when it is not
    installed (``./dev test`` installs it), a failure in CI."""
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: redis-server is missing (Debian package redis-server)")
        pytest.skip("redis-server is not installed: sudo apt-get install redis-server")
    with RedisServer(tmp_path_factory.mktemp("redis") / "redis.log", executable) as server:
        yield server
