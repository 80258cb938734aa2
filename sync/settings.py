"""Device-local preferences: named JSON values in ``device_settings``, never synced."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from . import jsontext
from .models import DEVICE_SETTINGS

_D = DEVICE_SETTINGS.c


def read(conn: sa.Connection, name: str) -> Any | None:
    """The stored value, or ``None`` when the setting was never written."""
    text = conn.execute(sa.select(_D.value).where(_D.name == name)).scalar()
    return None if text is None else jsontext.loads(text)


def write(conn: sa.Connection, name: str, value: Any, now: str) -> None:
    text = jsontext.dumps(value)
    exists = conn.execute(sa.select(_D.name).where(_D.name == name)).first()
    if exists is None:
        conn.execute(sa.insert(DEVICE_SETTINGS).values(name=name, value=text, updated_at=now))
    else:
        conn.execute(
            sa.update(DEVICE_SETTINGS).where(_D.name == name).values(value=text, updated_at=now)
        )
