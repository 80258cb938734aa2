"""Sync benchmark: the goals S1-S5 of docs/sync-protocol.md section 7, each beside its floor.

    python bench/sync.py [--quick] [--items 50000] [--engine sqlite|dynamodb|both]

Everything is real: the script starts ``growlink-server serve`` on 127.0.0.1 (on a SQLite file,
or on DynamoDB served by a moto server it also starts) and drives ``DeviceStore``,
``SyncEngine`` and ``GqlRemote`` as the app does. Requests are counted and timed by a
wrapper around the real ``GqlRemote``; nothing is mocked.

- S1 local write incl. outbox (p50, p99) on a device file; floor: raw sqlite3 writing a row
  and an outbox row in one transaction.
- S2 initial sync of a mentor with many mentees: ``--items`` goals and shared reflections,
  seeded through ``pushChanges`` (cached under bench/.cache/ by item count), pulled by an
  empty device, then split into phases each measured again on its own; floor: raw sqlite3
  upsert of the same rows in one transaction + orjson parse of the same responses.
- S3 push of 1,000 queued changes: requests and seconds (also on DynamoDB).
- S4 reconnect after another device made 199 changes: pull requests (also on DynamoDB).
- S5 a change on one device seen by another online device (``syncPoke``): p50; floor: a push
  round trip plus a pull round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `python bench/sync.py` puts bench/ first on sys.path, where this very file would shadow the
# `sync` package: the project root goes in front of it.
sys.path.insert(0, str(ROOT))

from bench.figures import Figure, print_summary  # noqa: E402
from bench.sync_goals.devices import bench_server  # noqa: E402
from bench.sync_goals.initial_sync import measure_initial_sync  # noqa: E402
from bench.sync_goals.local_writes import measure_local_writes  # noqa: E402
from bench.sync_goals.mentor_world import seeded_world  # noqa: E402
from bench.sync_goals.online import (  # noqa: E402
    measure_propagation,
    measure_push,
    measure_reconnect,
)
from harness.processes import MotoServer  # noqa: E402


@dataclass(frozen=True)
class Sizes:
    writes: int
    items: int
    push: int
    trials: int
    quick: bool


def run_sqlite(folder: Path, cache: Path, sizes: Sizes) -> list[Figure]:
    db, world = seeded_world(cache, sizes.items, folder, settle=not sizes.quick)
    served = folder / "server.db"
    shutil.copyfile(db, served)  # the cache stays as it was seeded
    figures: list[Figure] = []
    with bench_server(served, folder / "server.log") as server:
        url = server.url
        figures += asyncio.run(measure_initial_sync(folder, served, url, world))
        figures += asyncio.run(measure_push(folder, url, sizes.push, "sqlite"))
        figures += asyncio.run(measure_reconnect(folder, url, "sqlite"))
        figures += asyncio.run(measure_propagation(folder, url, sizes.trials))
    return figures


def run_dynamodb(folder: Path, sizes: Sizes) -> list[Figure]:
    print("DynamoDB engine on a moto server (an in-memory emulator, far slower than DynamoDB):")
    print("   S2 is not run here (seeding 50k items through moto takes many minutes)")
    with MotoServer(folder / "moto.log") as moto:
        db, log = folder / "server-dynamodb.db", folder / "server-dynamodb.log"
        with bench_server(db, log, dynamodb=moto) as server:
            figures = asyncio.run(
                measure_push(folder, server.url, sizes.push, "dynamodb", moto.calls)
            )
            figures += asyncio.run(measure_reconnect(folder, server.url, "dynamodb"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--items", type=int, help="S2 items (default 50,000; 2,000 with --quick)")
    parser.add_argument("--engine", choices=["sqlite", "dynamodb", "both"], default="both")
    parser.add_argument(
        "--cache", type=Path, default=ROOT / "bench" / ".cache", help="seeded server files"
    )
    args = parser.parse_args()
    sizes = (
        Sizes(writes=600, items=args.items or 2_000, push=600, trials=3, quick=True)
        if args.quick
        else Sizes(writes=5_000, items=args.items or 50_000, push=1_000, trials=20, quick=False)
    )
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="growlink-bench-sync-") as tmp:
        folder = Path(tmp)
        figures += measure_local_writes(folder, sizes.writes)
        if args.engine in ("sqlite", "both"):
            figures += run_sqlite(folder, args.cache, sizes)
        if args.engine in ("dynamodb", "both"):
            figures += run_dynamodb(folder, sizes)
    print_summary(figures)


if __name__ == "__main__":
    main()
