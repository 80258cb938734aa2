from __future__ import annotations

import pytest

from domain.errors import RuleViolation
from domain.links import MAX_LINK_LENGTH, require_http_url


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://meet.example/abc", "https://meet.example/abc"),
        ("http://img.example.com/1.jpg?size=2#top", "http://img.example.com/1.jpg?size=2#top"),
        ("  https://meet.example/x \n", "https://meet.example/x"),
        ("HTTPS://Meet.Example/X", "HTTPS://Meet.Example/X"),
        ("https://[::1]:8443/room", "https://[::1]:8443/room"),
    ],
)
def test_http_urls_are_kept(given: str, kept: str) -> None:
    assert require_http_url(given, field="evidence") == kept


@pytest.mark.parametrize(
    "given",
    [
        "ftp://files.example.com",
        "javascript:alert(1)",
        "example.com/x",
        "https://",
        "https:///path-only",
        "https://meet.example/a b",
        "https://meet.example/\tx",
        "https://meet.example/\x00",
        "https://[::1/broken",
        "",
        "   ",
        None,
        42,
        "https://x.example/" + "a" * MAX_LINK_LENGTH,
    ],
)
def test_anything_else_is_refused_on_its_field(given: object) -> None:
    with pytest.raises(RuleViolation) as refused:
        require_http_url(given, field="meetingLink")
    assert refused.value.field == "meetingLink"
