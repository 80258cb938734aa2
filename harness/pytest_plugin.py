"""The harness as pytest fixtures (registered by tests/conftest.py): moto servers for the
session and ``server_process(db, ...)`` for servers stopped at the end of the session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.processes import DUMMY_AWS, MotoServer, ServerProcess

for _name, _value in DUMMY_AWS.items():  # the in-process DynamoDB clients sign with these
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """The moto server of the storage tests."""
    with MotoServer(tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server


@pytest.fixture(scope="session")
def servers_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """A second moto server for the growlink server processes: moto copies every table on
    each transaction and isolates none, so their tables stay out of the storage tests' way."""
    with MotoServer(tmp_path_factory.mktemp("servers-moto") / "moto.log") as server:
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
