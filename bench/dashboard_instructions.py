"""Instructions per dashboard request, counted by valgrind: a figure this shared machine's
changing pace does not move (a latency here varies up to twofold from one minute to the next).

    python bench/dashboard_instructions.py [--requests 100]

Seeds the demo world into a temporary SQLite file, then runs itself under ``valgrind
--tool=callgrind`` four times: the mentee's dashboard of ``bench/api.py`` through the ASGI app
(body parsing, context, execution, JSON; not uvicorn's socket work) and executed in-process
by graphql-core (the floor of ``bench/api.py``), each after 5 warm-up requests, once with
``--requests`` more and once with none; the difference over ``--requests`` is what one request
costs. Needs valgrind (Debian ``valgrind``); takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api import DASHBOARD
from domain.clock import local_today

WARM_UP = 5
MENTEE = "ana.souza@growlink.demo"


async def requests_through_the_app(db: Path, count: int) -> None:
    """``count`` dashboard requests through the ASGI app, with scope, receive and send made
    here (no HTTP client in the count)."""
    from backend.app import build_services, create_app
    from backend.config import StorageSettings
    from backend.demo import DEMO_PASSWORD

    app = create_app(build_services(StorageSettings(db_path=str(db)), secret="b" * 48))

    async def post(body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        raw = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw))]
        if token:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        messages = [{"type": "http.request", "body": raw, "more_body": False}]
        sent: list[MutableMapping[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        answer: dict[str, Any] = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
        if answer.get("errors"):
            raise RuntimeError(answer["errors"])
        return answer

    async with app.router.lifespan_context(app):
        sign_in = f'mutation {{ signIn(email: "{MENTEE}", password: "{DEMO_PASSWORD}") '
        signed = await post({"query": sign_in + "{ accessToken } }"})
        token = signed["data"]["signIn"]["accessToken"]
        me = (await post({"query": "{ me { userId timeZone } }"}, token))["data"]["me"]
        today = local_today(datetime.now(UTC), me["timeZone"]).isoformat()
        body = {"query": DASHBOARD, "variables": {"userId": me["userId"], "today": today}}
        for _ in range(WARM_UP + count):
            await post(body, token)


async def executions_in_process(db: Path, count: int) -> None:
    """``count`` executions of the parsed, validated dashboard by graphql-core (the floor)."""
    from bench.api import Floor

    floor = Floor(db, DASHBOARD)
    try:
        page = await floor.services.store.query("Users", MENTEE, index="UsersByEmail")
        user = page.items[0]
        today = local_today(datetime.now(UTC), user["timeZone"]).isoformat()
        variables = {"userId": user["userId"], "today": today}
        await floor.timings(variables, user["userId"], runs=WARM_UP + count)
    finally:
        await floor.close()


def instructions(db: Path, path: str, count: int) -> int:
    """Instructions valgrind counted for a run of ``path`` with ``count`` requests."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--run",
                path,
                "--db",
                str(db),
                "--requests",
                str(count),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"valgrind printed no count:\n{run.stderr[-2000:]}")
    return int(found.group(1))


async def seed(db: Path) -> None:
    from backend.demo import seed_demo
    from backend.storage.sqlite_engine import SQLiteEngine

    store = SQLiteEngine(db)
    await seed_demo(store, end=datetime.now(UTC))
    await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--run", choices=["app", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:  # one counted run, under valgrind
        runs = {"app": requests_through_the_app, "floor": executions_in_process}
        asyncio.run(runs[args.run](args.db, args.requests))
        return
    if shutil.which("valgrind") is None:
        sys.exit("bench/dashboard_instructions.py needs valgrind (sudo apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        asyncio.run(seed(db))
        print(f"dashboard (mentee), instructions per request over {args.requests} requests")
        for path, what in (("app", "through the ASGI app"), ("floor", "the floor (in-process)")):
            extra = instructions(db, path, args.requests) - instructions(db, path, 0)
            print(f"  {what:<26}{extra / args.requests:>12,.0f}")


if __name__ == "__main__":
    main()
