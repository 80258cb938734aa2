"""Compressed answers, negotiated by the request's ``Accept-Encoding`` (RFC 9110, 12.5.3).

An initial sync of 50,000 items is 30 MB of JSON; zstd (level 1) makes it about 14 times
smaller at about 1 GB/s, gzip (level 1) 10 times at a quarter of that speed (bench/sync.py,
S2). zstd goes to clients that take it (the app's httpx asks for it when ``zstandard`` is
installed), gzip to the others that take gzip (browsers, curl), nothing to the rest. Answers
under ``MIN_SIZE`` bytes are sent as they are: they fit in a packet or two anyway.
"""

from __future__ import annotations

import zlib

import zstandard

MIN_SIZE = 1024
ZSTD_LEVEL = 1
GZIP_LEVEL = 1
PREFERENCE = ("zstd", "gzip")
"""The codings this server writes, best first: the tie-break among equal q-values."""

_zstd = zstandard.ZstdCompressor(level=ZSTD_LEVEL)


def accepted_codings(header: str) -> dict[str, float]:
    """``Accept-Encoding`` as coding -> q-value; a malformed q-value counts as 0 (refused)."""
    codings: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        codings[name] = q
    return codings


def choose_coding(header: str | None) -> str | None:
    """The coding to answer with: the client's highest q-value among ``PREFERENCE`` (``*``
    stands for any coding it does not name), ties to the earlier one; None for identity."""
    if not header:
        return None
    codings = accepted_codings(header)
    anything = codings.get("*", 0.0)
    ranked = sorted(
        ((codings.get(name, anything), -rank, name) for rank, name in enumerate(PREFERENCE)),
        reverse=True,
    )
    q, _, name = ranked[0]
    return name if q > 0 else None


def compress(body: bytes, coding: str) -> bytes:
    """``body`` in ``coding`` (one of ``PREFERENCE``)."""
    if coding == "zstd":
        return _zstd.compress(body)
    if coding == "gzip":
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush()
    raise ValueError(f"not a coding this server writes: {coding}")


def encoded(body: bytes, accept_encoding: str | None) -> tuple[bytes, str | None]:
    """``body`` as sent to a client with this ``Accept-Encoding``, and its coding (None: as is)."""
    if len(body) < MIN_SIZE:
        return body, None
    coding = choose_coding(accept_encoding)
    if coding is None:
        return body, None
    return compress(body, coding), coding
