"""Server settings, read once from the environment (``GROWLINK_*``) and the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

EngineName = Literal["sqlite", "dynamodb"]


class StartupError(Exception):
    """A setting or resource the server needs is missing; the message is one sentence that
    says what to run, printed by the CLI instead of a traceback."""


@dataclass(frozen=True)
class StorageSettings:
    """Which engine stores the tables, and where."""

    engine: EngineName = "sqlite"
    db_path: str = "growlink.db"
    endpoint_url: str | None = None
    region: str = "us-east-1"
    table_prefix: str = ""

    @classmethod
    def from_env(cls) -> StorageSettings:
        engine = os.environ.get("GROWLINK_ENGINE", "sqlite")
        if engine not in ("sqlite", "dynamodb"):
            raise ValueError(f"GROWLINK_ENGINE must be sqlite or dynamodb, got {engine!r}")
        return cls(
            engine=engine,  # type: ignore[arg-type]
            db_path=os.environ.get("GROWLINK_DB", "growlink.db"),
            endpoint_url=os.environ.get("GROWLINK_DYNAMODB_ENDPOINT") or None,
            region=os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
            table_prefix=os.environ.get("GROWLINK_TABLE_PREFIX", ""),
        )


def production_from_env() -> bool:
    """``GROWLINK_PRODUCTION=1`` (or ``serve --production``): no GraphiQL, no introspection
    for signed-out callers."""
    return os.environ.get("GROWLINK_PRODUCTION", "").lower() in ("1", "true", "yes")
