"""The layers of the whole project hold (tests/architecture/layers.py), and the check bites."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.architecture.layers import OURS, import_cycles, violations

ROOT = Path(__file__).resolve().parents[2]

LAYERS = (("top",), ("middle.a", "middle.b"), ("bottom",))


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def synthetic(root: Path, **extra: str) -> list[str]:
    files = {
        "top/__init__.py": "",
        "top/screen.py": "from middle.a import rules\nfrom bottom import base\n",
        "middle/__init__.py": "",
        "middle/a/__init__.py": "",
        "middle/a/rules.py": "import json\nfrom ...bottom import base\n",
        "middle/b/__init__.py": "",
        "middle/b/other.py": "",
        "bottom/__init__.py": "",
        "bottom/base.py": "",
    }
    files.update({name.replace("__", "/") + ".py": text for name, text in extra.items()})
    write(root, files)
    found = violations(root, LAYERS, ("top", "middle", "bottom"))
    return [f"{v.module} -> {v.imported}" for v in found]


def test_the_project_keeps_its_layers() -> None:
    assert [str(v) for v in violations(ROOT)] == []


def test_the_project_has_no_import_cycle() -> None:
    assert import_cycles(ROOT) == []


def test_downward_imports_are_allowed(tmp_path: Path) -> None:
    assert synthetic(tmp_path) == []


def test_an_upward_import_is_a_violation(tmp_path: Path) -> None:
    assert synthetic(tmp_path, bottom__base="from top import screen\n") == [
        "bottom.base -> top.screen"
    ]


def test_a_relative_upward_import_is_a_violation(tmp_path: Path) -> None:
    found = synthetic(tmp_path, middle__a__rules="from ...top.screen import thing\n")
    assert found == ["middle.a.rules -> top.screen"]


def test_groups_of_one_layer_are_independent(tmp_path: Path) -> None:
    assert synthetic(tmp_path, middle__b__other="from middle.a import rules\n") == [
        "middle.b.other -> middle.a.rules"
    ]


def test_an_import_hidden_behind_type_checking_counts(tmp_path: Path) -> None:
    hidden = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from top import screen\n"
    assert synthetic(tmp_path, middle__a__rules=hidden) == ["middle.a.rules -> top.screen"]


def test_a_package_in_no_layer_is_a_violation(tmp_path: Path) -> None:
    assert synthetic(tmp_path, middle__loose="") == []  # never imported: nothing to check
    assert synthetic(tmp_path, top__screen="from middle import loose\n") == [
        "top.screen -> middle.loose"
    ]


def test_a_cycle_is_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/one.py": "from . import two\n",
            "pkg/two.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from .three import x\n",
            "pkg/three.py": "from pkg.one import y\n",
            "pkg/alone.py": "from pkg import one\n",
        },
    )
    assert import_cycles(tmp_path, ("pkg",)) == [["pkg.one", "pkg.three", "pkg.two"]]


def test_a_bad_import_in_the_real_tree_is_caught(tmp_path: Path) -> None:
    """The services importing the sync endpoints, and the device importing the server."""
    for package in OURS:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    writes = tmp_path / "backend/services/writes.py"
    writes.write_text(writes.read_text() + "\nfrom ..sync import push\n")
    store = tmp_path / "sync/store.py"
    store.write_text(store.read_text() + "\nfrom backend.storage.tables import Table\n")
    domain = tmp_path / "domain/clock.py"
    domain.write_text(domain.read_text() + "\nimport protocol\n")
    found = sorted(f"{v.module} -> {v.imported}" for v in violations(tmp_path))
    assert found == [
        "backend.services.writes -> backend.sync.push",
        "domain.clock -> protocol",
        "sync.store -> backend.storage.tables",
    ]
    assert import_cycles(tmp_path) != []  # push imports the services
