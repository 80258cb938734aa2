"""The distribution keeps the server and the app apart: a server install brings no Flet and
an app install no boto3, argon2 or uvicorn, while each extra still brings everything its own
code imports.

The metadata is built from pyproject.toml as it is now (setuptools' ``egg_info``, what pip
runs to learn the requirements); the dependencies of dependencies are read from the installed
distributions, which a development install (``.[dev]``) holds all of.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from importlib.metadata import Distribution, PathDistribution, distribution, packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "growlink"
# Which install runs each package of ours (protocol/: the vocabulary device and server share).
EXTRAS_OF_PACKAGE = {
    "domain": set(),
    "protocol": set(),
    "backend": {"server"},
    "sync": {"app"},
    "app": {"app"},
}
NOT_SHIPPED = {"tests", "harness", "bench"}  # development only
FLET = {"flet", "flet-web", "flet-desktop", "flet-charts", "flet-cli"}
SERVER_ONLY = {
    "boto3",
    "botocore",
    "argon2-cffi",
    "uvicorn",
    "ariadne",
    "starlette",
    "pyjwt",
    "aiodataloader",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Distribution:
    """growlink's metadata as pyproject.toml declares it now (the installed copy is only as
    new as the last install)."""
    out = tmp_path_factory.mktemp("metadata")
    build = [sys.executable, "-c", "import setuptools; setuptools.setup()"]
    subprocess.run(
        [*build, "egg_info", "--egg-base", str(out)], cwd=ROOT, check=True, capture_output=True
    )
    return PathDistribution(out / f"{PROJECT}.egg-info")


def install_of(built: Distribution, extras: Iterable[str]) -> set[str]:
    """Every distribution ``pip install growlink[extras]`` brings (canonical names)."""
    todo: list[tuple[str, frozenset[str]]] = [(PROJECT, frozenset(extras))]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        dist = built if name == PROJECT else distribution(name)
        for line in dist.requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in wanted | {""}):
                todo.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return {name for name, _ in seen} - {PROJECT}


def test_the_extras_are_declared(built: Distribution) -> None:
    extras = set(built.metadata.get_all("Provides-Extra") or [])
    assert {"server", "app", "app-web", "test", "dev"} <= extras


def test_a_server_install_brings_no_flet_and_no_device_client(built: Distribution) -> None:
    server = install_of(built, {"server"})
    assert {"ariadne", "boto3", "argon2-cffi", "uvicorn"} <= server
    assert server & (FLET | {"gql", "sqlmodel"}) == set()


def test_an_app_install_brings_nothing_only_the_server_needs(built: Distribution) -> None:
    app = install_of(built, {"app"})
    assert {"flet", "flet-charts", "gql", "sqlmodel"} <= app
    assert app & SERVER_ONLY == set()


def test_the_web_app_adds_flet_web_but_still_no_aws_or_password_hashing(
    built: Distribution,
) -> None:
    web = install_of(built, {"app-web"})
    assert {"flet", "flet-web"} <= web
    assert web & {"boto3", "botocore", "argon2-cffi", "ariadne", "pyjwt"} == set()


def test_the_dev_install_is_everything(built: Distribution) -> None:
    dev = install_of(built, {"dev"})
    assert install_of(built, {"server", "app-web", "test"}) <= dev


def imported_distributions(package: Path) -> dict[str, set[str]]:
    """Top-level modules from outside the project that ``package`` imports at run time
    (not under ``if TYPE_CHECKING``), each with the distributions that provide it."""
    providers = packages_distributions()
    ours = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(child)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for child in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ours or top == "__future__":
                    continue
                found[top] = {canonicalize_name(d) for d in providers.get(top, [])}
    return found


def test_every_package_of_ours_is_assigned_an_install() -> None:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert packages - NOT_SHIPPED - set(EXTRAS_OF_PACKAGE) == set()


@pytest.mark.parametrize("package", sorted(p for p in EXTRAS_OF_PACKAGE if (ROOT / p).is_dir()))
def test_each_install_brings_what_its_code_imports(built: Distribution, package: str) -> None:
    install = install_of(built, EXTRAS_OF_PACKAGE[package])
    missing = {
        module: providers
        for module, providers in imported_distributions(ROOT / package).items()
        if not providers & install
    }
    assert missing == {}, f"{package}/ imports modules its install does not bring"
