"""``growlink``: the client's command line.

- ``growlink app [--web] [--host H] [--port P] [--server URL] [--data-dir DIR]
  [--clock-start ISO-TIME]``: the app (a desktop window where a Flet desktop client can be
  had, else served for a browser); ``--clock-start`` sets its clock for demos and tests.

- ``growlink sync --server URL --db PATH [--email E --password P]``: sign in (or use the
  stored token), run one sync, print what it did.
- ``growlink sync --status --db PATH``: the pending changes and open issues of a device file.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from app.launch import Main
    from domain.clock import Clock


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="growlink", description="The Growlink client.")
    parser.add_argument("--version", action="version", version=f"growlink {version('growlink')}")
    commands = parser.add_subparsers(dest="command")
    sync = commands.add_parser("sync", help="sync a device file with the server once")
    sync.add_argument("--db", required=True, help="the device's SQLite file")
    sync.add_argument("--server", help="server base URL, e.g. http://127.0.0.1:8000")
    sync.add_argument("--email", help="sign in as this user (else the stored token is used)")
    sync.add_argument("--password", help="with --email (asked for when omitted)")
    sync.add_argument(
        "--status", action="store_true", help="only show pending changes and open issues"
    )
    reminders = commands.add_parser(
        "reminders", help="list the reminders a device file will ring, soonest first"
    )
    reminders.add_argument("--db", required=True, help="the device's SQLite file")
    app = commands.add_parser("app", help="start the app (a desktop window or, --web, a browser)")
    app.add_argument("--web", action="store_true", help="serve the app for a web browser")
    app.add_argument("--host", default="127.0.0.1", help="web: the address to serve on")
    app.add_argument("--port", type=int, default=8550, help="web: the port (default 8550)")
    app.add_argument(
        "--server", default="http://127.0.0.1:8000", help="the Growlink server proposed at sign-in"
    )
    app.add_argument(
        "--data-dir",
        help="where the device files live (default: FLET_APP_STORAGE_DATA, else the "
        "platform's user data directory)",
    )
    app.add_argument(
        "--clock-start",
        metavar="ISO-TIME",
        help="start the app's clock at this instant, then let it run (demos and browser tests: "
        "e.g. a minute before a reminder)",
    )
    args = parser.parse_args(argv)
    if args.command == "app":
        return run_app(args)
    if args.command == "reminders":
        return show_reminders(args.db, sys.stdout)
    if args.command == "sync":
        if args.status:
            return show_status(args.db, sys.stdout)
        return asyncio.run(sync_once(args, sys.stdout))
    parser.print_help()
    return 0


def run_app(args: argparse.Namespace) -> int:
    from app.launch import LaunchOptions, default_data_dir, run

    logging.basicConfig(
        level=os.environ.get("GROWLINK_LOG", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from domain.clock import RunningClock, SystemClock, parse_utc
    from domain.errors import RuleViolation

    clock: Clock = SystemClock()
    if args.clock_start:
        try:
            clock = RunningClock(parse_utc(args.clock_start, field="--clock-start"))
        except RuleViolation as exc:
            print(f"error: --clock-start: {exc}", file=sys.stderr)
            return 2
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    options = LaunchOptions(args.web, args.host, args.port, args.server, data_dir)
    run(options, lambda: app_main(data_dir, args.server, clock))
    return 0


def app_main(data_dir: Path, server_url: str, clock: Clock | None = None) -> Main:
    """The app's ``main(page)``: the slow imports (screens, sync engine) are here, for
    ``run`` to do them in a thread while the browser starts the client."""
    from app.accounts import AccountRegistry
    from app.main import AppConfig, make_main
    from app.state.device_zone import device_time_zone

    config = AppConfig(
        registry=AccountRegistry(data_dir, clock=clock),
        server_url=server_url,
        time_zone=device_time_zone(),
    )
    return make_main(config)


def show_status(db: str, out: TextIO) -> int:
    from sync import DeviceStore

    with DeviceStore(db) as store:
        status = store.status()
        record = store.sync_state()
        print(f"status: {status.label}", file=out)
        print(f"pending changes: {status.pending}", file=out)
        print(f"open issues: {status.issues}", file=out)
        for issue in store.issues():
            key = ", ".join(f"{k}={v}" for k, v in issue.key.items())
            field = f" ({issue.field})" if issue.field else ""
            print(
                f"  {issue.issue_id} {issue.entity} {key}: {issue.code}{field} {issue.message}",
                file=out,
            )
        if status.blocked:
            print(f"blocked: {status.blocked}", file=out)
        if status.clock_warning:
            print(f"warning: {status.clock_warning}", file=out)
        print(f"signed in as: {record.user_id or '-'} on {record.server_url or '-'}", file=out)
    return 0


def show_reminders(db: str, out: TextIO) -> int:
    from app.accounts import time_zone_of
    from app.state.context import UserContext
    from app.state.reminders import next_reminders
    from domain.clock import SystemClock
    from sync import DeviceStore

    with DeviceStore(db) as store:
        user_id = store.sync_state().user_id
        if user_id is None:
            print("no one has signed in with this device file", file=out)
            return 1
        zone = time_zone_of(store, user_id)
        upcoming = next_reminders(UserContext(store, SystemClock(), user_id, zone))
        print(f"reminders of {user_id} ({zone}), soonest first:", file=out)
        for reminder in upcoming:
            local = reminder.local(zone).strftime("%a %Y-%m-%d %H:%M")
            at = reminder.at.strftime("%Y-%m-%dT%H:%MZ")
            print(
                f"  {reminder.kind.value:<10} {reminder.title:<32} {local} ({at})  {reminder.key}",
                file=out,
            )
        if not upcoming:
            print("  none in the next days", file=out)
    return 0


async def sync_once(args: argparse.Namespace, out: TextIO) -> int:
    from sync import DeviceStore, GqlRemote, SyncEngine, SyncError

    with DeviceStore(args.db) as store:
        server = args.server or store.sync_state().server_url
        if not server:
            print("error: give --server (no server is stored in this device file)", file=out)
            return 2
        remote = GqlRemote(server)
        engine = SyncEngine(store, remote, server_url=server)
        try:
            if args.email:
                password = args.password or getpass.getpass(f"password for {args.email}: ")
                await engine.sign_in(args.email, password)
            elif store.sync_state().access_token is None:
                print("error: not signed in: give --email and --password", file=out)
                return 2
            report = await engine.sync_now()
        except SyncError as exc:
            print(f"error: {exc}", file=out)
            return 1
        finally:
            await remote.aclose()
        print(
            f"pushed: {report.pushed}  pulled: {report.pulled}  merged: {report.merged}"
            f"  rejected: {report.rejected + report.conflict}",
            file=out,
        )
        status = store.status()
        print(f"status: {status.label}", file=out)
        if status.clock_warning:
            print(f"warning: {status.clock_warning}", file=out)
        if report.error:
            print(f"error: {report.error}", file=out)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
