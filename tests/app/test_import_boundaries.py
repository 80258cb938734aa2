"""``app/`` and ``sync/`` never import the server, boto3 or argon2, so the client can be
packaged for phones with ``flet build`` (an AST walk of every module, lazy imports too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("backend", "boto3", "botocore", "argon2")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", ["app", "sync"])
def test_client_packages_do_not_import_the_server_side(package):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules under {package}/"
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN
        )
        for path in modules
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_walk_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import boto3\n    from backend.cli import main\n")
    assert imported_modules(module) == {"boto3", "backend.cli"}
