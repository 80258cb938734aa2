"""The project's import layers, and an AST walk that finds every import breaking them.

A module may import modules of its own group, of groups in lower layers, and anything that is
not ours (the standard library, third-party packages). Groups in one layer are independent of
each other. A module's group is its longest listed package prefix. Imports inside
``if TYPE_CHECKING:`` count like any other: a hidden cycle is still a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

OURS = ("app", "sync", "protocol", "domain", "backend")

PROJECT_LAYERS: tuple[tuple[str, ...], ...] = (
    # The Flet client; the server's command line over its composition roots (the ASGI app,
    # the demo data).
    ("app", "backend.cli"),
    ("backend.app", "backend.demo"),
    ("sync", "backend.api", "backend.jobs"),
    ("backend.sync",),
    ("backend.services",),
    ("backend.auth", "backend.changefeed"),
    ("backend.storage",),
    ("backend.config", "backend.errors"),
    ("protocol",),
    ("domain",),
)
"""Top to bottom: app -> sync -> (protocol, domain); backend api (and the background jobs)
-> sync endpoints -> services -> change feed -> storage. The device (``app``, ``sync``) and
the server (``backend``) never import each other: they share only ``protocol`` and
``domain``."""

DEVICE, SERVER = ("app", "sync"), ("backend",)


@dataclass(frozen=True)
class Violation:
    module: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path, path: Path) -> Iterator[tuple[str, int]]:
    """Every module ``path`` imports (absolute names), with its line."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:  # ``from backend import sync`` imports a module
                named = f"{target}.{alias.name}"
                yield (named if _is_module(root, named) else target), node.lineno


def _is_module(root: Path, name: str) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def group_of(module: str, layers: Sequence[Sequence[str]]) -> str | None:
    best: str | None = None
    for layer in layers:
        for group in layer:
            if (module == group or module.startswith(group + ".")) and (
                best is None or len(group) > len(best)
            ):
                best = group
    return best


def allowed(source: str, target: str, layers: Sequence[Sequence[str]]) -> bool:
    if source == target:
        return True
    rank = {group: i for i, layer in enumerate(layers) for group in layer}
    if {_side(source), _side(target)} == {"device", "server"}:
        return False
    return rank[target] > rank[source]


def _side(group: str) -> str:
    top = group.split(".")[0]
    return "device" if top in DEVICE else "server" if top in SERVER else "shared"


def violations(
    root: Path, layers: Sequence[Sequence[str]] = PROJECT_LAYERS, packages: Sequence[str] = OURS
) -> list[Violation]:
    """Every import under ``root`` that goes up a layer, sideways, or between device and server.

    Modules of ours that belong to no listed group are violations too, so a new package must
    be placed in a layer before it can be imported.
    """
    found: list[Violation] = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            module = module_name(root, path)
            source = group_of(module, layers)
            for imported, line in imports_of(root, path):
                if imported.split(".")[0] not in packages:
                    continue
                target = group_of(imported, layers)
                if source is None or target is None or not allowed(source, target, layers):
                    found.append(Violation(module, imported, line))
    return found


def import_cycles(root: Path, packages: Sequence[str] = OURS) -> list[list[str]]:
    """Groups of our modules that import each other, directly or round a loop (Tarjan's SCC)."""
    graph: dict[str, set[str]] = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            module = module_name(root, path)
            graph[module] = {
                imported
                for imported, _ in imports_of(root, path)
                if imported.split(".")[0] in packages and imported != module
            }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.get(module, ())):
            if other not in graph:
                continue
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles
