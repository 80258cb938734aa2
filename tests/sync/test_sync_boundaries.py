"""The sync package's boundaries: it imports neither the app nor the server, and its public
names are deliberate."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import sync

SYNC_DIR = Path(sync.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_sync_never_imports_the_app_or_the_backend():
    offenders = {
        f"{path.relative_to(SYNC_DIR)}: {name}"
        for path in SYNC_DIR.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in {"app", "backend", "tests"}
    }
    assert offenders == set()


def test_importing_sync_loads_no_server_code():
    code = (
        "import sys, sync, sync.engine, sync.poke\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'backend', 'app'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_api_is_sorted_and_complete():
    assert sync.__all__ == sorted(sync.__all__)
    assert all(hasattr(sync, name) for name in sync.__all__)
