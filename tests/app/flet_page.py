"""Run Flet 1.0 components with no client: a real ``Session`` over a recording connection.

Adapted from ../shared/docs/flet-1.0-notes.md §4. The connection msgpack-encodes every message
like the real transport (the encoder snapshots control lists, without which later updates are
empty and controls never enter the session's index).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Iterator
from typing import Any

import flet as ft
import msgpack
from flet import unwrap_component
from flet.controls.base_control import BaseControl
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.protocol import configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

_encode = configure_encode_object_for_msgpack(BaseControl)

_CHILDREN = (
    "controls",
    "views",
    "content",
    "title",
    "leading",
    "trailing",
    "subtitle",
    "actions",
    "appbar",
    "navigation_bar",
    "destinations",
    "tabs",
    "label_content",
)


class RecordingConnection(Connection):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.messages: list[Any] = []
        self.loop = loop
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.pubsubhub = PubSubHub(loop=loop)
        self.page_url = "http://test.invalid/"

    def send_message(self, message: Any) -> None:
        msgpack.packb([message.action, message.body], default=_encode)
        self.messages.append(message)


class FakePage:
    """A page with no client. Keep it referenced: ``Page`` holds its session weakly."""

    def __init__(self) -> None:
        self.connection = RecordingConnection(asyncio.get_running_loop())
        self.session = Session(self.connection)
        self.page: ft.Page = self.session.page
        _context_page.set(self.page)
        self.session.apply_page_patch({"width": 1000, "height": 800, "platform": "linux"})
        msgpack.packb(self.session.get_page_patch(), default=_encode)

    def render(self, component: Callable[[], Any]) -> None:
        self.page.render(component)

    async def settle(self, seconds: float = 0.05) -> None:
        """Let scheduled re-renders run."""
        await asyncio.sleep(seconds)

    def controls(self) -> list[Any]:
        return list(walk(self.page))

    def find(self, predicate: Callable[[Any], bool]) -> list[Any]:
        return [c for c in walk(self.page) if predicate(c)]

    def by_id(self, identifier: str) -> Any:
        """The ``ft.Semantics`` control with this identifier (exactly one)."""
        found = self.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == identifier)
        assert len(found) == 1, f"{len(found)} controls with identifier {identifier!r}"
        return found[0]

    def texts(self) -> list[str]:
        return [str(c.value) for c in walk(self.page) if isinstance(c, ft.Text) and c.value]

    async def click(self, control: Any) -> None:
        """Click ``control`` (or the clickable inside a ``Semantics`` wrapper)."""
        target = _clickable(control)
        await self.session.dispatch_event(target._i, "click", None)
        await self.settle()

    async def type_into(self, control: Any, text: str) -> None:
        """Set a text field's value and fire ``change`` as the client does while typing."""
        field = _first(control, lambda c: isinstance(c, ft.TextField))
        self.session.apply_patch(field._i, {"value": text})
        await self.session.dispatch_event(field._i, "change", text)
        await self.settle()


def walk(root: Any) -> Iterator[Any]:
    """Every control in the tree, components unwrapped, depth first."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        control = unwrap_component(stack.pop())
        if control is None or id(control) in seen:
            continue
        seen.add(id(control))
        yield control
        for attr in _CHILDREN:
            kids = unwrap_component(getattr(control, attr, None))
            if isinstance(kids, list):
                stack.extend(reversed([unwrap_component(k) for k in kids]))
            elif isinstance(kids, BaseControl):
                stack.append(kids)


def _first(control: Any, predicate: Callable[[Any], bool]) -> Any:
    for candidate in walk(control):
        if predicate(candidate):
            return candidate
    raise AssertionError(f"nothing matching inside {type(control).__name__}")


def _clickable(control: Any) -> Any:
    return _first(
        control,
        lambda c: (
            getattr(c, "on_click", None) is not None or getattr(c, "on_change", None) is not None
        ),
    )
