"""Deliberate bugs in the merge code, each applied alone to a copy of the checkout, and the
tests that must fail because of it: the proof that the table tests, the property test and
the step-kill test check the merge rules instead of trusting the server.

A mutant is a text patch (``old`` occurs exactly once in ``path`` and becomes ``new``). The
copy lives in a temporary folder and is run with that folder first on ``sys.path``, so the
checkout itself is never touched and no mutant is reachable from the real code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLAN = "backend/sync/merge_plan.py"
RUN = "backend/sync/merge_run.py"
TABLE_TESTS = "tests/sync_server/test_merge_plan.py"
PROPERTY_TEST = (
    "tests/faults/test_property.py::test_random_faults_lose_and_double_nothing_and_devices_converge"
)
STEP_KILL_TEST = "tests/faults/test_step_kills.py"


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]  # each run on its own; at least one must fail


MUTANTS = (
    Mutant(
        "an un-complete beats a concurrent completion",
        PLAN,
        "        if facts.concurrent:  # completed: true wins over a concurrent un-complete\n",
        "        if False:  # mutant\n",
        (TABLE_TESTS, PROPERTY_TEST),
    ),
    Mutant(
        "the server rejects every completion",
        PLAN,
        "    return Plan(facts.edit_status, (complete,))\n",
        '    raise RuleViolation("mutant", field="completed")\n',
        (TABLE_TESTS, PROPERTY_TEST),
    ),
    Mutant(
        "reflection text clashes are never detected",
        PLAN,
        "    clashes = text_clashes(facts.change, current, data, facts.writer) "
        "if facts.concurrent else []\n",
        "    clashes: list[str] = []\n",
        (TABLE_TESTS, PROPERTY_TEST),
    ),
    Mutant(
        "a todo delete drops the report of the edit it discarded",
        PLAN,
        "        return Plan(ChangeStatus.MERGED, delete, issue)\n",
        "        return Plan(MERGED, delete)\n",
        (TABLE_TESTS, PROPERTY_TEST),
    ),
    Mutant(
        "a device's own earlier writes count as concurrent",
        PLAN,
        "        if writer.client_id is not None and current.get(CLIENT_ATTR) == "
        "writer.client_id:\n            return False\n",
        "",
        (TABLE_TESTS, PROPERTY_TEST),
    ),
    Mutant(
        "the change is acknowledged with its first step",
        RUN,
        "        last = number == len(plan.steps)\n        if last:\n",
        "        last = number == len(plan.steps)\n        if number == 1:\n",
        (STEP_KILL_TEST,),
    ),
)


@dataclass(frozen=True)
class Verdict:
    """One test run against one mutant: killed means the tests failed (exit code 1)."""

    mutant: str
    test: str
    killed: bool
    seconds: float
    tail: str


def checkout_copy(folder: Path) -> Path:
    """The checkout's files (tracked and new, not ignored) copied into ``folder``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = REPO / name
        if source.is_file():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


def apply(mutant: Mutant, copy: Path) -> None:
    path = copy / mutant.path
    text = path.read_text()
    found = text.count(mutant.old)
    if found != 1:
        raise ValueError(f"mutant {mutant.name!r}: its code occurs {found} times in {mutant.path}")
    path.write_text(text.replace(mutant.old, mutant.new))


def run_tests(copy: Path, test: str, engines: str) -> subprocess.CompletedProcess[str]:
    """pytest on the copy, with the copy (not the installed checkout) first on the path."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", test, "-x", "-q", "-p", "no:cacheprovider"]
    command += ["--engines", engines]
    return subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=1800)


def imported_from(copy: Path) -> Path:
    """Where the copy's interpreter imports the merge code from (must be the copy)."""
    env = {**os.environ, "PYTHONPATH": str(copy)}
    code = "import backend.sync.merge_plan as m; print(m.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True, check=True
    )
    return Path(found.stdout.strip())


def judge(mutant: Mutant, folder: Path, engines: str = "sqlite") -> list[Verdict]:
    """Apply ``mutant`` to a fresh copy in ``folder`` and run each of its tests."""
    copy = checkout_copy(folder)
    apply(mutant, copy)
    verdicts = []
    for test in mutant.tests:
        started = time.monotonic()
        ran = run_tests(copy, test, engines)
        if ran.returncode not in (0, 1):
            raise RuntimeError(f"{test} could not run ({ran.returncode}):\n{ran.stdout[-3000:]}")
        tail = "\n".join(ran.stdout.strip().splitlines()[-3:])
        verdicts.append(
            Verdict(mutant.name, test, ran.returncode == 1, time.monotonic() - started, tail)
        )
    return verdicts
