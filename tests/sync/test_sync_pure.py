"""Pure rules of the device side: backoff, key canonicalisation, visible rows, status labels,
push sizes."""

from __future__ import annotations

import pytest

from sync.backoff import backoff_delay
from sync.entities import Entity, Op
from sync.keys import canonical_key, key_of
from sync.push_size import ENVELOPE_BYTES, budget_after_refusal, fitting
from sync.status import SyncStatus
from sync.visible import PendingChange, Snapshot, apply_change, visible_row
from sync.wire import ChangeIn

# -- backoff -------------------------------------------------------------------------------


def test_first_retry_waits_one_second_whatever_the_jitter():
    assert backoff_delay(1, 0.0) == backoff_delay(1, 1.0) == 1.0


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(2, 1.0, 2.0), (3, 2.0, 4.0), (4, 4.0, 8.0), (6, 16.0, 32.0), (7, 30.0, 60.0)],
)
def test_each_failure_doubles_the_window_and_jitter_spans_its_upper_half(attempt, low, high):
    assert backoff_delay(attempt, 0.0) == low
    assert backoff_delay(attempt, 1.0) == high
    assert low < backoff_delay(attempt, 0.5) < high


@pytest.mark.parametrize("attempt", [8, 20, 1000])
def test_the_wait_never_exceeds_sixty_seconds(attempt):
    assert 30.0 <= backoff_delay(attempt, 0.0) <= backoff_delay(attempt, 1.0) == 60.0


def test_backoff_refuses_nonsense():
    with pytest.raises(ValueError):
        backoff_delay(0, 0.5)
    with pytest.raises(ValueError):
        backoff_delay(1, 1.5)


# -- keys ----------------------------------------------------------------------------------


def test_equal_keys_give_the_same_text_whatever_the_attribute_order():
    a = canonical_key(Entity.HABIT_COMPLETION, {"habitId": "h", "date": "2026-11-24"})
    b = canonical_key(Entity.HABIT_COMPLETION, {"date": "2026-11-24", "habitId": "h"})
    c = canonical_key(Entity.HABIT_COMPLETION, '{ "date" : "2026-11-24", "habitId": "h" }')
    assert a == b == c == '{"date":"2026-11-24","habitId":"h"}'
    assert key_of(a) == {"habitId": "h", "date": "2026-11-24"}


@pytest.mark.parametrize(
    "key",
    [
        {"habitId": "h"},
        {"habitId": "h", "date": "2026-11-24", "userId": "u"},
        {"goalId": "g", "date": "2026-11-24"},
        {"habitId": "h", "date": ""},
        {"habitId": 7, "date": "2026-11-24"},
        "[1, 2]",
    ],
)
def test_a_key_must_be_exactly_the_entitys_key_attributes(key):
    with pytest.raises(ValueError):
        canonical_key(Entity.HABIT_COMPLETION, key)


def test_notifications_travel_keyed_by_notification_id():
    assert canonical_key(Entity.NOTIFICATION, {"notificationId": "n"}) == '{"notificationId":"n"}'


# -- visible rows --------------------------------------------------------------------------

KEY = {"todoId": "t", "userId": "u"}
BASE = Snapshot({**KEY, "text": "old", "done": False, "_version": 3}, version=3)


def test_a_new_item_shows_its_local_defaults_under_the_fields_sent():
    change = PendingChange(Op.PUT, {"text": "buy"}, {"done": False, "text": "never shown"})
    row = apply_change(None, KEY, change)
    assert row == Snapshot({"done": False, "text": "buy", **KEY}, version=None)


def test_patch_changes_only_its_fields_and_keeps_the_base_version():
    row = apply_change(BASE, KEY, PendingChange(Op.PATCH, {"done": True}))
    assert row.data == {**BASE.data, "done": True}
    assert row.version == 3 and not row.deleted


def test_put_on_an_existing_item_replaces_the_fields_sent_only():
    row = apply_change(BASE, KEY, PendingChange(Op.PUT, {"text": "new"}, {"done": "ignored"}))
    assert row.data == {**BASE.data, "text": "new"}


def test_delete_leaves_a_tombstone_and_a_put_recreates_from_scratch():
    gone = apply_change(BASE, KEY, PendingChange(Op.DELETE))
    assert gone.deleted and gone.version == 3
    again = apply_change(gone, KEY, PendingChange(Op.PUT, {"text": "again"}, {"done": False}))
    assert again == Snapshot({"done": False, "text": "again", **KEY}, version=3)


def test_a_patch_does_not_revive_a_tombstone():
    gone = Snapshot({**KEY, "text": "x"}, version=4, deleted=True)
    assert apply_change(gone, KEY, PendingChange(Op.PATCH, {"text": "y"})).deleted


def test_key_attributes_cannot_be_overwritten_by_fields():
    row = apply_change(BASE, KEY, PendingChange(Op.PATCH, {"todoId": "other"}))
    assert row.data["todoId"] == "t"


def test_the_visible_row_applies_pending_changes_in_order():
    pending = [
        PendingChange(Op.PATCH, {"text": "a"}),
        PendingChange(Op.PATCH, {"text": "b", "done": True}),
        PendingChange(Op.PATCH, {"done": False}),
    ]
    row = visible_row(BASE, KEY, pending)
    assert row is not None and row.data["text"] == "b" and row.data["done"] is False
    assert visible_row(BASE, KEY, []) is BASE
    assert visible_row(None, KEY, []) is None


# -- status --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (SyncStatus(pending=0, issues=0), "Synced"),
        (SyncStatus(pending=3, issues=0), "Offline · 3 pending"),
        (SyncStatus(pending=3, issues=0, syncing=True), "Syncing"),
        (SyncStatus(pending=0, issues=0, syncing=True), "Synced"),
        (SyncStatus(pending=3, issues=2, syncing=True), "Needs attention (2)"),
        (SyncStatus(pending=0, issues=1, blocked="Sign in again"), "Needs attention (2)"),
    ],
)
def test_status_labels(status, label):
    assert status.label == label


def test_clock_warning_only_past_five_minutes():
    assert SyncStatus(0, 0, clock_skew_seconds=300).clock_warning is None
    assert SyncStatus(0, 0, clock_skew_seconds=None).clock_warning is None
    ahead = SyncStatus(0, 0, clock_skew_seconds=601).clock_warning
    behind = SyncStatus(0, 0, clock_skew_seconds=-86400).clock_warning
    assert ahead == "This device's clock is 10 minutes ahead of the server's."
    assert behind == "This device's clock is 1440 minutes behind the server's."


# -- push size -----------------------------------------------------------------------------


def _change(n: int, text: str) -> ChangeIn:
    return ChangeIn(n, Entity.TODO, {"userId": "u", "todoId": str(n)}, Op.PUT, None,
                    {"text": text}, "2026-11-24T12:00:00Z")


def test_a_batch_fits_its_byte_budget_in_order_and_the_first_change_always_goes():
    changes = [_change(n, "x" * 100) for n in range(1, 11)]
    each = changes[0].wire_bytes() + 1
    assert fitting(changes, None) == changes
    assert fitting(changes, each * 3) == changes[:3]
    assert fitting(changes, each * 3 - 1) == changes[:2]
    assert fitting(changes, 10) == changes[:1]  # alone too large: sent, and refused alone


def test_after_a_413_the_budget_is_the_stated_limit_less_the_envelope_else_half():
    refused = [_change(n, "x" * 1000) for n in range(1, 11)]
    sent = sum(c.wire_bytes() + 1 for c in refused)
    assert budget_after_refusal(refused, 8000) == 8000 - ENVELOPE_BYTES
    assert budget_after_refusal(refused, None) == sent // 2
    assert budget_after_refusal(refused, sent + ENVELOPE_BYTES) == sent // 2  # said too much
    assert budget_after_refusal(refused, 100) == sent // 2  # no room for any change
