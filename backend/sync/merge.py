"""Applying one device change: read the item, decide (``merge_plan``), carry out (``merge_run``).

The decisions are a pure function of the change, the stored item and the writer, table-tested
in tests/sync_server/test_merge_plan.py; the services called by the steps enforce every
business rule and access check, as for the GraphQL mutations.
"""

from __future__ import annotations

from ..services.context import ServiceContext
from .changes import DeviceChange
from .finish import Finisher
from .merge_plan import PLANNED_ENTITIES, Writer, plan_change
from .merge_run import Outcome, current_item, run_plan

__all__ = ["Outcome", "apply_change", "current_item"]


async def apply_change(
    ctx: ServiceContext, finisher: Finisher, change: DeviceChange, *, force: bool = False
) -> Outcome:
    """Apply ``change`` for the caller; business-rule failures raise their ``DomainError``."""
    writer = Writer(ctx.require_viewer(), ctx.client_id, force)
    current = None
    if change.entity in PLANNED_ENTITIES:
        current = await current_item(ctx, change.entity, change.key())
    plan = plan_change(change, current, writer)
    return await run_plan(ctx, finisher, change, plan, current)
