"""Sync issues: rejected and conflicting device changes, kept for their user to resolve.

They are items of their own (``SyncIssues``, key (userId, issueId)), written through
``Changes`` like everything else, so they reach every device of the user through the change
feed. Resolving one: KEEP_MINE re-applies the device's value that did not apply, through the
same services and rules as any change, and closes the issue in that write's transaction;
KEEP_THEIRS (the server's value stays) and DISMISS only close it.
"""

from __future__ import annotations

from typing import Any

from domain.errors import RuleViolation
from protocol.statuses import RESOLVED_STATUS, IssueStatus, Resolution

from ..errors import NotFound
from ..services.context import ServiceContext
from ..services.loaders import is_live
from ..services.pages import all_live, clamp_limit
from ..services.writes import Changes, retrying
from ..storage.items import Item
from .changes import DeviceChange
from .finish import ISSUES_TABLE, IssueClosing
from .merge import apply_change


async def list_issues(ctx: ServiceContext, status: str | None, limit: int | None) -> list[Item]:
    """The caller's issues, newest first, optionally only those in one status."""
    viewer = ctx.require_viewer()
    if status is not None and status not in tuple(IssueStatus):
        raise RuleViolation("status is OPEN, RESOLVED or DISMISSED", field="status")
    wanted = clamp_limit(limit)
    issues = await all_live(ctx, ISSUES_TABLE, viewer.user_id)
    kept = [i for i in issues if status is None or i.get("status") == status]
    kept.sort(key=lambda i: (str(i["createdAt"]), str(i["issueId"])), reverse=True)
    return kept[:wanted]


async def resolve_issue(ctx: ServiceContext, issue_id: str, resolution: str) -> Item:
    viewer = ctx.require_viewer()
    if resolution not in tuple(Resolution):
        raise RuleViolation("resolution is KEEP_MINE, KEEP_THEIRS or DISMISS", field="resolution")
    issue = await ctx.store.get(ISSUES_TABLE, {"userId": viewer.user_id, "issueId": issue_id})
    if not is_live(issue):
        raise NotFound("no such sync issue")
    if issue.get("status") != IssueStatus.OPEN:
        return issue  # resolving twice changes nothing
    if resolution == Resolution.KEEP_MINE and issue.get("op") is not None:
        return await _keep_mine(ctx, issue)
    chosen = Resolution(resolution)
    return await _close(ctx, issue, RESOLVED_STATUS[chosen], chosen)


@retrying
async def _close(
    ctx: ServiceContext, issue: Item, status: IssueStatus, resolution: Resolution
) -> Item:
    current = await ctx.store.get(
        ISSUES_TABLE, {"userId": issue["userId"], "issueId": issue["issueId"]}
    )
    if current is None or current.get("status") != IssueStatus.OPEN:
        return current or issue
    changes = Changes(ctx)
    closed = changes.update(ISSUES_TABLE, current, {"status": status, "resolution": resolution})
    await changes.commit()
    return closed


async def _keep_mine(ctx: ServiceContext, issue: Item) -> Item:
    """Apply the stored device value now, as if nothing had changed meanwhile (no merge)."""
    closing = IssueClosing(issue, IssueStatus.RESOLVED, Resolution.KEEP_MINE)
    child = ServiceContext(
        ctx.services, ctx.viewer, client_id=issue.get("clientId"), commit_hooks=[closing]
    )
    change = DeviceChange.parse(
        {
            "mutationId": int(issue.get("mutationId") or 1),
            "entity": issue["entity"],
            "key": issue["key"],
            "op": issue["op"],
            "baseVersion": None,
            "fields": _as_fields(issue.get("mine")),
        }
    )
    await apply_change(child, closing, change, force=True)
    await closing.finish(child)
    return closing.closed or issue


def _as_fields(mine: Any) -> dict[str, Any] | None:
    return dict(mine) if isinstance(mine, dict) else None
