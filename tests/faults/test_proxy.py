"""The fault proxy itself: it forwards faithfully, and each fault does what it says."""

from __future__ import annotations

import httpx
import pytest

from tests.faults.proxy import Fault, FaultProxy

HEALTH = {"query": "query Health { __typename }"}


@pytest.fixture
def sqlite_server(tmp_path, server_process):
    process = server_process(tmp_path / "server.db")
    yield process
    process.stop()


@pytest.fixture
def proxy_to(sqlite_server):
    made = FaultProxy(sqlite_server.url, restart_server=sqlite_server.restart)
    yield made
    made.close()


def test_it_forwards_requests_and_keeps_the_connection_alive(proxy_to):
    with httpx.Client(base_url=proxy_to.url) as client:
        for _ in range(3):
            answer = client.post("/graphql", json=HEALTH)
            assert answer.json() == {"data": {"__typename": "Query"}}
            assert "date" in answer.headers
    assert [(e.operation, e.statuses) for e in proxy_to.exchanges] == [("Health", [200])] * 3


@pytest.mark.parametrize("fault", [Fault.DROP_REQUEST, Fault.DROP_RESPONSE, Fault.HOLD])
def test_a_broken_request_reaches_the_device_as_a_dropped_connection(proxy_to, fault):
    proxy_to.inject(fault, "Health")
    with httpx.Client(base_url=proxy_to.url) as client:
        with pytest.raises(httpx.TransportError):
            client.post("/graphql", json=HEALTH)
        assert client.post("/graphql", json=HEALTH).status_code == 200  # only once
    first, second = proxy_to.exchanges
    assert first.fault is fault and second.fault is None
    assert first.statuses == ([200] if fault is Fault.DROP_RESPONSE else [])
    if fault is Fault.HOLD:
        assert proxy_to.release_held() == [200]
        assert first.statuses == [200]


def test_a_duplicated_request_reaches_the_server_twice(proxy_to):
    proxy_to.inject(Fault.DUPLICATE, "Health")
    assert httpx.post(f"{proxy_to.url}/graphql", json=HEALTH).status_code == 200
    [exchange] = proxy_to.exchanges
    assert exchange.statuses == [200, 200] and len(exchange.answers) == 2


def test_a_restart_fault_kills_the_server_and_brings_it_back(proxy_to, sqlite_server):
    before = sqlite_server.proc.pid
    proxy_to.inject(Fault.RESTART_SERVER, "Health")
    with pytest.raises(httpx.TransportError):
        httpx.post(f"{proxy_to.url}/graphql", json=HEALTH)
    assert sqlite_server.running and sqlite_server.proc.pid != before
    assert httpx.post(f"{proxy_to.url}/graphql", json=HEALTH).status_code == 200
