"""Clean text (domain/text.py) and the planning horizon (domain/horizon.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import RuleViolation
from domain.horizon import PLANNING_HORIZON, check_within_horizon
from domain.text import clean_text, clean_value, storable_copy

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_text_is_nfc_normalized_with_newlines_and_tabs_kept():
    assert clean_text("e\u0301\r\nx\ry\tz", field="t") == "\u00e9\nx\ny\tz"


def test_emoji_and_zero_width_joiners_are_ordinary_text():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(family, field="t") == family


@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\x00", "\x01", "\x1f", "\x7f", "\x9f"])
def test_surrogates_nul_and_controls_are_refused_naming_the_field(char):
    with pytest.raises(RuleViolation) as refused:
        clean_value({"notes": [f"a{char}b"]}, field="fields")
    assert refused.value.field == "fields.notes"


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused(number):
    with pytest.raises(RuleViolation, match="finite"):
        clean_value({"progress": number}, field="")


def test_a_refused_value_has_a_storable_copy():
    assert storable_copy({"a\x00": ["x\ud800", float("nan"), 1.5, None]}) == {
        "a\ufffd": ["x\ufffd", None, 1.5, None]
    }


def test_the_horizon_is_two_years_inclusive():
    check_within_horizon(NOW + PLANNING_HORIZON, NOW)
    with pytest.raises(RuleViolation) as refused:
        check_within_horizon(NOW + PLANNING_HORIZON + timedelta(seconds=1), NOW)
    assert refused.value.field == "date"


def test_a_password_is_checked_but_never_rewritten():
    decomposed = "Cafe\u0301\r\n"
    assert clean_value({"password": decomposed}, field="") == {"password": decomposed}
    with pytest.raises(RuleViolation):
        clean_value({"password": "x\ud800"}, field="")
