"""Email syntax and the one normalized form accounts are compared in (issue 10, finding 9)."""

import pytest

from domain.emails import email_key, normalize_email
from domain.errors import RuleViolation


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Ann@Example.com", "ann@example.com"),
        ("  ann@example.com ", "ann@example.com"),
        ("\uff41nn@example.com", "ann@example.com"),  # full-width a
        ("STRASSE@example.de", "strasse@example.de"),
        ("Straße@example.de", "strasse@example.de"),  # casefold, not lower
        ("jörg@bücher.de", "jörg@bücher.de"),
        ("a.b+tag@sub.example.co.uk", "a.b+tag@sub.example.co.uk"),
    ],
)
def test_addresses_are_normalized_with_nfkc_and_casefold(raw, normalized):
    assert normalize_email(raw) == normalized
    assert email_key(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "ann\x00@example.com",
        "a\u200bnn@example.com",  # zero-width space
        "ann\u200d@example.com",  # zero-width joiner
        "\u202eann@example.com",  # right-to-left override
        "ann\x07@example.com",
        "an n@example.com",
        "ann@exa\u00a0mple.com",
        "ann",
        "ann@",
        "@example.com",
        "ann@example",
        "ann@@example.com",
        "ann@-example.com",
        "ann@example..com",
        "ann@exa_mple.com",
        "a" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "",
        "   ",
        None,
    ],
)
def test_bad_addresses_are_refused_naming_the_field(raw):
    with pytest.raises(RuleViolation) as refused:
        normalize_email(raw)
    assert refused.value.field == "email"
