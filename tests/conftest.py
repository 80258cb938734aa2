"""Fixtures shared by every test: real storage engines (SQLite file, DynamoDB on moto's server)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.storage.dynamodb_engine import DynamoDBEngine, serialize
from backend.storage.engine import Engine
from backend.storage.sqlite_engine import SQLiteEngine

# moto needs credentials to sign requests; nothing here ever reaches AWS.
for _name, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ.setdefault(_name, _value)


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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MotoServer:
    """moto's DynamoDB-compatible HTTP server in a child process on 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.generation = 0
        self.tables_ready_at: int | None = None
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto server did not start within 30 s")

    def reset(self) -> None:
        self.generation += 1
        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(req, timeout=10).close()

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()


class ServerProcess:
    """``growlink-server serve`` in its own process on 127.0.0.1: on a SQLite file, or on
    DynamoDB (moto's server) under its own table prefix. ``kill()`` + ``start()`` (or
    ``restart()``) bring it back on the same port and the same data, like a crash and reboot."""

    def __init__(
        self,
        db: Path,
        *,
        dynamodb: MotoServer | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.storage = ["--db", str(db)]
        self.env = {**os.environ, **(env or {})}
        self.db = db  # where its data is, for tests that read the server's tables directly
        self.dynamodb_url: str | None = None
        self.table_prefix = ""
        if dynamodb is not None:  # the secret of a SQLite server is kept beside its file
            self.env.setdefault("GROWLINK_JWT_SECRET", "test-secret-" + "x" * 40)
            prefix = f"srv{uuid.uuid4().hex[:8]}-"
            self.dynamodb_url, self.table_prefix = dynamodb.url, prefix
            self.storage = [
                "--engine",
                "dynamodb",
                "--endpoint-url",
                dynamodb.url,
                "--table-prefix",
                prefix,
            ]
            subprocess.run(
                [sys.executable, "-m", "backend.cli", "init-tables", *self.storage],
                env=self.env,
                check=True,
                capture_output=True,
                timeout=120,
            )
        self.proc: subprocess.Popen[str] | None = None
        self.start()

    def start(self) -> None:
        command = [sys.executable, "-m", "backend.cli", "serve", *self.storage]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.proc = subprocess.Popen(
            command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.proc.kill()
        output = self.proc.stdout.read() if self.proc.stdout else ""
        raise RuntimeError(f"server did not start: {output}")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, whatever was in flight is cut off."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.running:
            assert self.proc is not None
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def servers_moto() -> Iterator[MotoServer]:
    """A second moto server for the growlink server processes: moto copies every table on
    each transaction and isolates none, so their tables stay out of the storage tests' way."""
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def port_finder():
    """``free_port`` for test modules (they cannot import this conftest)."""
    return free_port


@pytest.fixture(scope="session")
def server_process():
    """``server_process(db)`` starts a server; every one still running is stopped at the end."""
    started: list[ServerProcess] = []

    def start(db: Path, **options: Any) -> ServerProcess:
        started.append(ServerProcess(db, **options))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def engine_params(config: pytest.Config) -> list[str]:
    return [e.strip() for e in str(config.getoption("--engines")).split(",") if e.strip()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        metafunc.parametrize("engine_name", engine_params(metafunc.config), scope="session")


async def empty_tables(engine: DynamoDBEngine) -> None:
    """Delete every item of every table: much cheaper on moto than re-creating 17 tables."""
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
        server: MotoServer = request.getfixturevalue("moto_server")
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
