"""``Accept-Encoding`` negotiation: zstd, else gzip, else none, as the client's q-values say."""

from __future__ import annotations

import gzip

import pytest
import zstandard

from backend.api.compression import MIN_SIZE, choose_coding, encoded


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, zstd", "zstd"),  # httpx with zstandard installed
        ("gzip, deflate, br", "gzip"),  # a browser
        ("deflate", None),
        ("", None),
        (None, None),
        ("zstd;q=0, gzip", "gzip"),
        ("gzip;q=0.9, zstd;q=0.5", "gzip"),
        ("*", "zstd"),
        ("*;q=0.5, gzip;q=1", "gzip"),
        ("*, zstd;q=0", "gzip"),
        ("gzip;q=0, zstd;q=0", None),
        ("ZSTD ; Q=1", "zstd"),
        ("gzip;q=oops", None),
        ("identity", None),
    ],
)
def test_the_coding_chosen(header, coding):
    assert choose_coding(header) == coding


def test_small_answers_go_as_they_are_and_large_ones_round_trip():
    small = b"x" * (MIN_SIZE - 1)
    assert encoded(small, "zstd") == (small, None)
    large = b'{"data":' + b"[1,2,3]," * MIN_SIZE + b"0}"
    body, coding = encoded(large, "zstd")
    assert coding == "zstd" and len(body) < len(large) / 10
    assert zstandard.ZstdDecompressor().decompress(body) == large
    body, coding = encoded(large, "gzip, deflate")
    assert coding == "gzip" and gzip.decompress(body) == large
    assert encoded(large, None) == (large, None)
