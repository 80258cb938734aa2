"""``pushChanges``: apply a device's queued changes, each exactly once, in order.

Per change (docs/sync-protocol.md section 5):

1. ``mutationId <= lastMutationId`` of this (user, clientId): DUPLICATE, nothing applies; the
   item comes back as it stands. A retry after a lost response is harmless.
2. A gap (``mutationId > lastMutationId + 1``) anywhere in the request refuses the whole
   request (``MUTATION_GAP``) before anything applies.
3. A broken business rule or access check, or a change whose key or fields are not clean
   text (a lone surrogate, NUL, a control character, NaN; ``DeviceChange.cleaned``):
   REJECTED with the error, a SyncIssue for the user, and ``lastMutationId`` advanced,
   in one transaction, so the queue never jams.
4. Throttling or unavailable storage (or a race lost on every retry) stops the batch: the
   results so far are returned and the device resends the rest with the same ids.
5. Otherwise the change applies through the services with its entity's merge rule
   (``merge.py``); ``lastMutationId`` is set in the same transaction as its (last) write,
   conditioned on the record's version, so two pushes from one device cannot both apply it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import DomainError, RuleViolation
from domain.text import storable_copy
from protocol.statuses import ChangeStatus

from ..changefeed.audience import audience
from ..changefeed.entities import TABLE_OF_ENTITY, parse_wire_key
from ..changefeed.poke import PUBLIC_FEED
from ..changefeed.wire import wire_item
from ..errors import WriteConflict
from ..services.context import ServiceContext, Viewer
from ..services.ids import require_uuid
from ..storage.errors import ItemTooLarge, StorageUnavailable, ValidationError
from ..storage.items import Item
from .changes import DeviceChange
from .errors import MutationGap
from .finish import STATE_TABLE, Acknowledgement, client_state_key
from .merge import Outcome, apply_change, current_item

MAX_CHANGES = 500


def last_mutation_id(record: Item | None) -> int:
    return int(record["lastMutationId"]) if record else 0


async def push_changes(ctx: ServiceContext, data: Mapping[str, Any]) -> dict[str, Any]:
    viewer = ctx.require_viewer()
    client_id = require_uuid(data.get("clientId"), "clientId")
    raw = list(data.get("changes") or [])
    if len(raw) > MAX_CHANGES:
        raise RuleViolation(f"push at most {MAX_CHANGES} changes at once", field="changes")
    changes = [DeviceChange.parse(c) for c in raw]
    record = await ctx.store.get(STATE_TABLE, client_state_key(viewer.user_id, client_id))
    last = last_mutation_id(record)
    _refuse_gaps(changes, last)

    results: list[dict[str, Any]] = []
    for change in changes:
        if change.mutation_id <= last:
            results.append(await _duplicate(ctx, viewer, change))
            continue
        try:
            result, record = await _apply_one(ctx, viewer, client_id, record, change)
        except (StorageUnavailable, WriteConflict):
            break  # transient: the device resends the rest with the same ids
        results.append(result)
        last = max(last, last_mutation_id(record))
    return {"lastMutationId": last, "results": results}


def _refuse_gaps(changes: list[DeviceChange], last: int) -> None:
    expected = last
    for change in changes:
        if change.mutation_id <= expected:
            continue
        if change.mutation_id != expected + 1:
            raise MutationGap(
                f"mutation {change.mutation_id} follows {expected}: the server has applied "
                f"up to {last}; resend from {last + 1}",
                field="changes",
            )
        expected = change.mutation_id


async def _apply_one(
    ctx: ServiceContext, viewer: Viewer, client_id: str, record: Item | None, change: DeviceChange
) -> tuple[dict[str, Any], Item | None]:
    ack = Acknowledgement(viewer.user_id, client_id, record, change.mutation_id)
    child = ServiceContext(ctx.services, viewer, client_id=client_id, commit_hooks=[ack])
    error: DomainError | None = None
    try:
        try:
            outcome = await apply_change(child, ack, change.cleaned())
        except WriteConflict:
            raise
        except DomainError as exc:
            error = exc
        except (ValidationError, ItemTooLarge) as exc:  # storage refused what the device sent
            error = RuleViolation(str(exc), field="fields")
        if error is not None:
            outcome = await _reject(child, ack, viewer, change, error)
        await ack.finish(child)
    except WriteConflict:
        fresh = await ctx.store.get(STATE_TABLE, client_state_key(viewer.user_id, client_id))
        if last_mutation_id(fresh) >= change.mutation_id:  # another push of this device won
            return await _duplicate(ctx, viewer, change), fresh
        raise
    return _result(viewer, change, outcome, error), ack.record


async def _reject(
    ctx: ServiceContext,
    ack: Acknowledgement,
    viewer: Viewer,
    change: DeviceChange,
    error: DomainError,
) -> Outcome:
    """Record the rejection as a SyncIssue; it commits with the acknowledgement."""
    table = TABLE_OF_ENTITY[change.entity]
    key = parse_wire_key(change.entity, storable_copy(change.raw_key))
    current = await current_item(ctx, change.entity, key) if key is not None else None
    if current is not None and not _readable(table, current, viewer):
        current = None
    issue_id = ack.new_issue(
        userId=viewer.user_id,
        entity=change.entity,
        key=key if key is not None else _raw_key(change),
        code=error.code,
        message=error.message,
        field=error.field,
        op=change.op,
        mine=storable_copy(change.fields) if isinstance(change.fields, dict) else None,
        theirs=None if current is None else wire_item(table, current, viewer.user_id),
        clientId=ctx.client_id,
        mutationId=change.mutation_id,
    )
    ack.arm()
    return Outcome(ChangeStatus.REJECTED, table, current, issue_id)


def _readable(table: str, item: Item, viewer: Viewer) -> bool:
    """A result must not reveal an item the caller may not see."""
    readers = audience(table, item)
    return viewer.user_id in readers or PUBLIC_FEED in readers


async def _duplicate(ctx: ServiceContext, viewer: Viewer, change: DeviceChange) -> dict[str, Any]:
    table = TABLE_OF_ENTITY[change.entity]
    key = parse_wire_key(change.entity, storable_copy(change.raw_key))
    current = await current_item(ctx, change.entity, key) if key is not None else None
    if current is not None and not _readable(table, current, viewer):
        current = None
    return _result(viewer, change, Outcome(ChangeStatus.DUPLICATE, table, current), None)


def _raw_key(change: DeviceChange) -> dict[str, Any]:
    """The key as sent, with what cannot be stored or answered replaced (``storable_copy``)."""
    return storable_copy(change.raw_key) if isinstance(change.raw_key, dict) else {}


def _result(
    viewer: Viewer, change: DeviceChange, outcome: Outcome, error: DomainError | None
) -> dict[str, Any]:
    item = outcome.item
    if item is not None and not _readable(outcome.table, item, viewer):
        item = None
    return {
        "mutationId": change.mutation_id,
        "status": outcome.status,
        "entity": change.entity,
        "key": _raw_key(change),
        "version": None if item is None else int(item.get("_version", 0)),
        "item": None if item is None else wire_item(outcome.table, item, viewer.user_id),
        "error": None
        if error is None
        else {
            "code": error.code,
            "message": error.message,
            "field": error.field,
            "retryable": False,
        },
        "issueId": outcome.issue_id,
    }
