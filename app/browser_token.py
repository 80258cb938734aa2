"""Where a browser (or desktop client) keeps its own session token: ``SharedPreferences``,
i.e. the browser's localStorage. Never "the last user": each browser holds its own."""

from __future__ import annotations

from typing import Protocol

import flet as ft

KEY = "growlink.session"


class TokenKeeper(Protocol):
    async def get(self) -> str | None: ...

    async def set(self, token: str) -> None: ...

    async def remove(self) -> None: ...


class SharedPreferencesToken:
    """The token in the client's shared preferences (create it inside a page's context)."""

    def __init__(self) -> None:
        self._prefs = ft.SharedPreferences()

    async def get(self) -> str | None:
        value = await self._prefs.get(KEY)
        return value if isinstance(value, str) and value else None

    async def set(self, token: str) -> None:
        await self._prefs.set(KEY, token)

    async def remove(self) -> None:
        await self._prefs.remove(KEY)
