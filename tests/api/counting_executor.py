"""``CountingExecutor``: the server's executor, counting the lists its one loop completed and
the fields it copied (a list or field it refused goes the standard way and is not counted).
Imported by the tests of ``backend.api.leaf_lists`` and of pull pages."""

from __future__ import annotations

from typing import Any

from backend.api.leaf_lists import NOT_COPIED, LeafListExecutor


class CountingExecutor(LeafListExecutor):
    flat = 0
    copied = 0

    def complete_flat_list(self, items: Any, plan: Any) -> list[dict[str, Any]]:
        completed = LeafListExecutor.complete_flat_list(items, plan)
        CountingExecutor.flat += 1
        return completed

    def copy_leaf(self, parent_type: Any, source: Any, name: str) -> Any:
        value = super().copy_leaf(parent_type, source, name)
        if value is not NOT_COPIED:
            CountingExecutor.copied += 1
        return value
