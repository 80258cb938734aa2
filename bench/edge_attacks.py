"""The request-size attacks of issue #10 against a real server process on 127.0.0.1.

- 600 aliases of a deep ``__schema`` selection: time, answer size, and the latency of
  ``/health`` asked meanwhile;
- a 100 MB body, then 30 distinct 5 MB queries: the server's RSS before and after.

Run: ``.venv/bin/python -m bench.edge_attacks`` (prints one line per figure).
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.process_usage import rss_mb
from harness.processes import ServerProcess

DEEP_SCHEMA = "__schema { types { fields { args { type { name kind ofType { name } } } } } }"


def alias_attack(url: str) -> None:
    query = "{ " + " ".join(f"a{n}: {DEEP_SCHEMA}" for n in range(600)) + " }"
    health: list[float] = []
    done = threading.Event()

    def poll_health() -> None:
        with httpx.Client(timeout=120) as client:
            while not done.is_set():
                started = time.perf_counter()
                client.get(f"{url}/health")
                health.append(time.perf_counter() - started)
                time.sleep(0.05)

    poller = threading.Thread(target=poll_health)
    poller.start()
    started = time.perf_counter()
    with httpx.Client(timeout=300) as client:
        response = client.post(f"{url}/graphql", json={"query": query})
    elapsed = time.perf_counter() - started
    done.set()
    poller.join()
    print(
        f"alias attack: {len(query)} B query, {elapsed:.2f} s, answer {len(response.content)} B "
        f"(HTTP {response.status_code}); /health worst {max(health) * 1000:.0f} ms "
        f"over {len(health)} probes"
    )


def memory_attacks(url: str, pid: int) -> None:
    before = rss_mb(pid)
    with httpx.Client(timeout=300) as client:
        body = b'{"query": "{ __typename }' + b" " * (100 * 1024 * 1024) + b'"}'
        status = client.post(
            f"{url}/graphql", content=body, headers={"content-type": "application/json"}
        ).status_code
        after_body = rss_mb(pid)
        for n in range(30):
            query = f"query Q{n} {{ __typename }}" + " " * (5 * 1024 * 1024)
            client.post(f"{url}/graphql", json={"query": query})
        after_queries = rss_mb(pid)
    print(
        f"memory: RSS {before:.0f} MB at rest, {after_body:.0f} MB after the 100 MB body "
        f"(HTTP {status}), {after_queries:.0f} MB after 30 distinct 5 MB queries"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = ServerProcess(Path(folder) / "bench.db")
        try:
            assert server.proc is not None, "the server process did not start"
            alias_attack(server.url)
            memory_attacks(server.url, server.proc.pid)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
