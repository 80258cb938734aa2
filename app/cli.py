"""``growlink``: the client's command line (the app itself and ``growlink sync`` arrive here)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib.metadata import version


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="growlink", description="The Growlink client.")
    parser.add_argument("--version", action="version", version=f"growlink {version('growlink')}")
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
