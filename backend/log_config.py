"""Logging of ``serve``: uvicorn's own configuration plus the ``growlink`` loggers at the
level asked for, so an expected error's one INFO line (``backend/api/errors.py``) and the
jobs' lines reach the server's output. uvicorn applies it in every worker process."""

from __future__ import annotations

import copy
from typing import Any

from uvicorn.config import LOGGING_CONFIG


def server_log_config(level: str) -> dict[str, Any]:
    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["growlink"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    return config
