"""The mutation check (``./dev mutants``, or ``pytest tests/mutation --mutants``): each
deliberate bug of ``mutants.py``, applied alone to a copy of the checkout, makes at least one
of its tests fail. The killing runs are off by default (the property test once per mutant,
minutes); that every mutant still applies to the code is checked in every run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutation.mutants import MUTANTS, Mutant, apply, checkout_copy, imported_from, judge


def test_the_copy_runs_its_own_code(tmp_path: Path) -> None:
    """Otherwise every mutant would 'survive' or be 'killed' by the unmutated checkout."""
    copy = checkout_copy(tmp_path)
    assert imported_from(copy) == copy / "backend/sync/merge_plan.py"


def test_every_mutant_applies_to_exactly_one_place(tmp_path: Path) -> None:
    copy = checkout_copy(tmp_path)
    for mutant in MUTANTS:
        apply(mutant, copy)  # raises unless its code occurs exactly once


@pytest.mark.mutants
@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_each_mutant_is_killed(
    mutant: Mutant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verdicts = judge(mutant, tmp_path)
    with capsys.disabled():
        for verdict in verdicts:
            outcome = "KILLED" if verdict.killed else "survived"
            print(f"\n  {outcome:8} {verdict.mutant} | {verdict.test} | {verdict.seconds:.0f} s")
    assert any(v.killed for v in verdicts), "\n".join(f"{v.test}: {v.tail}" for v in verdicts)
