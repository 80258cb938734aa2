"""Sign-in under password guessing (issue 10, finding 3/4), in process on a real SQLite file
with production argon2 parameters:

- signIn time for an unknown email vs a known email with a wrong password (p50 of 50 each);
- the latency of an unrelated query while 8 clients guess passwords (p50 / p95 of 100;
  BENCH_QUERIES sets how many).

The throttle is opened wide so every guess reaches argon2 (the worst case for the event loop).
Run: ``.venv/bin/python -m bench.sign_in_guessing``
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from backend.app import build_services, create_app
from backend.config import StorageSettings
from harness.accounts import sign_up_request

SIGN_IN = "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }"
SECRET = "bench-secret-" + "x" * 40


def _wide_open(services: Any) -> Any:
    """Services whose sign-in throttle never refuses (absent before the throttle existed)."""
    names = {f.name for f in dataclasses.fields(services)}
    if "sign_in_throttle" not in names:
        return services
    from backend.auth.throttle import SignInThrottle, ThrottleLimits

    limits = ThrottleLimits(per_account=10**9, per_address=10**9)
    return dataclasses.replace(services, sign_in_throttle=SignInThrottle(limits))


async def _timed(client: httpx.AsyncClient, body: dict[str, Any]) -> float:
    start = time.perf_counter()
    response = await client.post("/graphql", json=body)
    if response.status_code >= 500:  # a refused sign-in may be 400 or 200 (GraphQL over HTTP)
        response.raise_for_status()
    return (time.perf_counter() - start) * 1000


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        services = _wide_open(build_services(StorageSettings(db_path=db), secret=SECRET))
        app = create_app(services)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            email, body = sign_up_request(None, "MENTEE")
            (await client.post("/graphql", json=body)).raise_for_status()

            def guess(e: str) -> dict[str, Any]:
                return {"query": SIGN_IN, "variables": {"e": e, "p": "wrong password!"}}

            unknown = [await _timed(client, guess(f"nobody{n}@example.com")) for n in range(50)]
            known = [await _timed(client, guess(email)) for _ in range(50)]
            print(f"signIn unknown email p50 {statistics.median(unknown):.1f} ms")
            print(f"signIn known email, wrong password p50 {statistics.median(known):.1f} ms")

            stop = asyncio.Event()

            async def guesser() -> None:
                while not stop.is_set():
                    await client.post("/graphql", json=guess(email))

            guessers = [asyncio.create_task(guesser()) for _ in range(8)]
            await asyncio.sleep(0.5)
            unrelated = {"query": "{ listUsersByRole(role: MENTOR, limit: 5) { userId } }"}
            count = int(os.environ.get("BENCH_QUERIES", "100"))
            latencies = sorted([await _timed(client, unrelated) for _ in range(count)])
            stop.set()
            await asyncio.gather(*guessers)
            p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
            print(
                f"unrelated query while 8 clients guess: p50 {statistics.median(latencies):.1f} ms,"
                f" p95 {p95:.1f} ms"
            )


if __name__ == "__main__":
    asyncio.run(main())
