"""Child processes on 127.0.0.1: a DynamoDB emulator (moto's server here, DynamoDB Local in
``harness.dynamodb_local``) and ``growlink-server serve``, each started on a free port,
waited for until it answers, and stopped.

Their output goes to a log file: a test reading the reason a server did not start, or a
benchmark counting moto's requests, reads that file (a pipe nobody reads would block a
chatty child once its buffer is full).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from harness.ports import free_port, listens

# moto needs credentials to sign requests; nothing here ever reaches AWS.
DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


class ProcessDidNotStart(RuntimeError):
    """A child process exited, or did not answer in time; the message holds its log."""


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment, dummy AWS credentials where none are set, and ``extra``."""
    return {**DUMMY_AWS, **os.environ, **(extra or {})}


def answers(url: str) -> bool:
    """Whether an HTTP GET of ``url`` gets an answer that is not a server error."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status < 500)
    except OSError:
        return False


class ChildProcess:
    """``command`` run until ``stop()``; ``start()`` returns once ``ready()`` is true."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        log: Path,
        ready: Callable[[], bool],
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.command = list(command)
        self.cwd = cwd
        self.log = log
        self.ready = ready
        self.env = child_env(env)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=self.cwd
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise ProcessDidNotStart(
                    f"{' '.join(self.command[:4])} did not start:\n"
                    + self.log.read_text(errors="replace")[-4000:]
                )
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, whatever was in flight is cut off."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited in time."""
        if self.proc is None or not self.running:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


class DynamoDBEmulator(ChildProcess, ABC):
    """A DynamoDB-compatible HTTP server on ``url``; ``reset()`` forgets every table."""

    # Whether concurrent transactions are isolated from each other, as on DynamoDB.
    isolates_transactions = True

    def __init__(
        self, command: Sequence[str], *, port: int, log: Path, cwd: Path | None = None
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.generation = 0  # how many times it was reset: its tables are gone after each
        self.tables_ready_at: int | None = None  # the generation a user last created tables in
        super().__init__(command, log=log, ready=self.is_ready, cwd=cwd)
        self.start()

    @abstractmethod
    def is_ready(self) -> bool:
        """Whether it answers DynamoDB requests yet."""

    @abstractmethod
    def reset(self) -> None:
        """Forget every table and item."""


class MotoServer(DynamoDBEmulator):
    """moto's DynamoDB-compatible HTTP server; started on construction. Kept for machines
    without Java, and for ``bench/sync.py``, which counts the API calls moto logs."""

    isolates_transactions = False  # two racing conditional puts both won under load

    def __init__(self, log: Path) -> None:
        port = free_port()
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        super().__init__(command, port=port, log=log)

    def is_ready(self) -> bool:
        return answers(f"{self.url}/moto-api/")

    def reset(self) -> None:
        """Forget every table and item."""
        self.generation += 1
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def calls(self) -> int:
        """DynamoDB API calls served so far (moto logs one line per request)."""
        return self.log.read_text(errors="replace").count('"POST / HTTP')


class RedisServer(ChildProcess):
    """Debian's ``redis-server`` on a free port, in memory only; started on construction.
    ``url`` is the broker setting of the server processes that share it."""

    def __init__(self, log: Path, executable: str = "redis-server") -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [executable, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        super().__init__(command, log=log, ready=self.is_ready, cwd=log.parent)
        self.start()

    def is_ready(self) -> bool:
        return listens(self.port)


class ServerProcess(ChildProcess):
    """``growlink-server serve`` on 127.0.0.1: on the SQLite file ``db``, or on DynamoDB
    (an emulator) under a table prefix of its own, its tables created first. Started on
    construction; ``kill()`` + ``start()`` (or ``restart()``) bring it back on the same port
    and the same data, like a crash and a reboot. Its log is ``log``, else beside ``db``.
    Servers given one ``table_prefix`` share their DynamoDB tables, like one ``db`` file."""

    def __init__(
        self,
        db: Path,
        *,
        dynamodb: DynamoDBEmulator | None = None,
        env: Mapping[str, str] | None = None,
        options: Sequence[str] = (),
        log: Path | None = None,
        table_prefix: str | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = db  # where its data is, for tests that read the server's tables directly
        self.dynamodb_url: str | None = None
        self.table_prefix = ""
        env = dict(env or {})
        self.storage = ["--db", str(db)]
        if dynamodb is not None:  # the secret of a SQLite server is kept beside its file
            env.setdefault("GROWLINK_JWT_SECRET", "test-secret-" + "x" * 40)
            self.dynamodb_url = dynamodb.url
            self.table_prefix = table_prefix or f"srv{uuid.uuid4().hex[:8]}-"
            self.storage = ["--engine", "dynamodb", "--endpoint-url", dynamodb.url]
            self.storage += ["--table-prefix", self.table_prefix]
        command = [sys.executable, "-m", "backend.cli", "serve", *self.storage]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        super().__init__(
            [*command, *options],
            log=log or db.with_name(db.name + ".log"),
            ready=lambda: answers(f"{self.url}/health"),
            env=env,
        )
        if dynamodb is not None:
            subprocess.run(
                [sys.executable, "-m", "backend.cli", "init-tables", *self.storage],
                env=self.env,
                check=True,
                capture_output=True,
                timeout=300,
            )
        self.start()

    def restart(self) -> None:
        self.kill()
        self.start()
