"""``CountingExecutor``: the server's executor, counting the lists its one loop completed (a
list it refused goes the standard way and is not counted). Imported by the tests of
``backend.api.leaf_lists`` and of pull pages."""

from __future__ import annotations

from typing import Any

from backend.api.leaf_lists import LeafListExecutor


class CountingExecutor(LeafListExecutor):
    flat = 0

    def complete_flat_list(self, items: Any, plan: Any) -> list[dict[str, Any]]:
        completed = LeafListExecutor.complete_flat_list(items, plan)
        CountingExecutor.flat += 1
        return completed
