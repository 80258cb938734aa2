"""Errors of the sync operations, with their GraphQL ``extensions.code``."""

from __future__ import annotations

from typing import ClassVar

from domain.errors import Conflict
from protocol.errors import ErrorCode


class MutationGap(Conflict):
    """A push skipped mutation ids: the whole request is refused and nothing applies."""

    code: ClassVar[str] = ErrorCode.MUTATION_GAP
