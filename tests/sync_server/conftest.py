"""Sync server fixtures: devices of the users the ``api`` fixture signs up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.asgi import Api, Person
from tests.sync_server.sync_calls import Device


@pytest.fixture
def device_of(api: Api) -> Callable[[Person], Device]:
    def make(person: Person) -> Device:
        return Device(api, person)

    return make
