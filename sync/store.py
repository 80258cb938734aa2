"""``DeviceStore``: the app's local data API. Every write is one SQLite transaction (visible
row, base copy on first edit, outbox entry) and returns before any network call.

Reads return the visible rows as dicts (the server's attribute names, plus ``_pending`` =
this row has changes the server has not confirmed yet). The sync status and the list of
issues are derived from the tables; ``subscribe`` calls back after every committed change.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from domain.clock import Clock, SystemClock, utc_iso
from protocol.statuses import Resolution

from . import issues, jsontext, outbox, rows, settings, state, token_keyring
from .app_writes import AppWrites
from .database import open_engine
from .entities import KEY_ATTRIBUTES, Entity, Op, check_device_write, parse_entity
from .errors import NotSignedIn
from .issues import Issue
from .keys import canonical_key
from .models import LOCAL_ITEMS, OUTBOX, REMINDERS_RUNG, SyncState
from .status import SyncStatus
from .token_keyring import SignInTokens
from .visible import PendingChange, apply_change
from .wire import AuthSession

log = logging.getLogger("growlink.sync")

StatusListener = Callable[[SyncStatus], None]
WriteListener = Callable[[], None]

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_L = LOCAL_ITEMS.c
_IS_PENDING = (
    sa.exists()
    .where(OUTBOX.c.entity == _L.entity, OUTBOX.c.key_json == _L.key_json)
    .label("pending")
)
# Built once: the app's writes read before they write (complete_habit reads twice), and
# building the statement per call cost about a tenth of a local write (bench/sync.py, S1).
_GET_VISIBLE = sa.select(_L.data, _IS_PENDING).where(
    _L.entity == sa.bindparam("entity"),
    _L.key_json == sa.bindparam("key_json"),
    _L.deleted.is_(False),
)


@functools.lru_cache(maxsize=256)
def _select_statement(bounded: bool, filters: tuple[tuple[str, bool], ...]) -> sa.Select[Any]:
    """The live items of one entity, in key order, within ``:low`` and ``:high`` if
    ``bounded``, each filter attribute NULL (``True``) or equal to ``:f_<name>``. Built once
    per shape, like ``_GET_VISIBLE``: SQLAlchemy keys its compiled cache on the statement,
    and deriving that key for a new statement cost more than a tenth of Today's reads."""
    query = (
        sa.select(_L.data, _IS_PENDING)
        .where(_L.entity == sa.bindparam("entity"), _L.deleted.is_(False))
        .order_by(_L.key_json)
    )
    if bounded:
        query = query.where(_L.key_json >= sa.bindparam("low"), _L.key_json < sa.bindparam("high"))
    for name, is_null in filters:
        attribute = sa.func.json_extract(_L.data, f"$.{name}")
        query = query.where(
            attribute.is_(None) if is_null else attribute == sa.bindparam(f"f_{name}")
        )
    return query


class DeviceStore(AppWrites):
    """The device database at ``path`` (created and migrated on open)."""

    def __init__(self, path: str | Path, *, clock: Clock | None = None, durable: bool = False):
        self.path = Path(path)
        self.clock: Clock = clock or SystemClock()
        self._engine = open_engine(self.path, durable=durable)
        self._lock = threading.RLock()
        self._status_listeners: list[StatusListener] = []
        self._write_listeners: list[WriteListener] = []
        self._syncing = False
        with self.transaction(publish=False) as conn:
            state.ensure(conn)
            self._user_id = state.read(conn).user_id
            moved = _move_tokens_to_keyring(conn)  # a file from before the keyring was used
        if moved:
            self.checkpoint()  # the page that held them is overwritten in the file itself

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> DeviceStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- transactions and listeners -------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, *, publish: bool = True) -> Iterator[sa.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); listeners hear of it after the commit."""
        with self._lock, self._engine.begin() as conn:
            yield conn
        if publish:
            self._publish()

    def now(self) -> str:
        return utc_iso(self.clock.now())

    def subscribe(self, callback: StatusListener) -> Callable[[], None]:
        """Call ``callback(status)`` after every committed change; returns the unsubscriber."""
        self._status_listeners.append(callback)
        return lambda: self._status_listeners.remove(callback)

    def on_local_write(self, callback: WriteListener) -> Callable[[], None]:
        """Call ``callback()`` after each local write (the sync engine debounces on it)."""
        self._write_listeners.append(callback)
        return lambda: self._write_listeners.remove(callback)

    def set_syncing(self, syncing: bool) -> None:
        self._syncing = syncing
        self._publish()

    def _publish(self) -> None:
        if not self._status_listeners:
            return
        current = self.status()
        for callback in list(self._status_listeners):
            try:
                callback(current)
            except Exception:  # a listener's bug (e.g. a closed browser tab) must not undo
                log.exception("store listener failed")  # nor block the committed write

    # -- generic writes -------------------------------------------------------------------

    def put(
        self,
        entity: Entity | str,
        key: Mapping[str, str],
        fields: Mapping[str, Any],
        *,
        local: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create the item, or replace the fields the client owns. ``local``: display-only
        attributes for a new item (never sent)."""
        row = self._write(parse_entity(entity), key, Op.PUT, dict(fields), local)
        assert row is not None
        return row

    def patch(
        self, entity: Entity | str, key: Mapping[str, str], fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Change only ``fields``."""
        row = self._write(parse_entity(entity), key, Op.PATCH, dict(fields), None)
        assert row is not None
        return row

    def delete(self, entity: Entity | str, key: Mapping[str, str]) -> None:
        self._write(parse_entity(entity), key, Op.DELETE, None, None)

    def _write(
        self,
        entity: Entity,
        key: Mapping[str, str],
        op: Op,
        fields: dict[str, Any] | None,
        local: Mapping[str, Any] | None,
    ) -> dict[str, Any] | None:
        check_device_write(entity, op, fields)
        key_json = canonical_key(entity, key)
        now = self.now()
        with self.transaction() as conn:
            has_base, base = rows.read_base(conn, entity.value, key_json)
            current = rows.read_visible(conn, entity.value, key_json)
            if op is Op.PATCH and current is not None and current.deleted:
                raise LookupError(f"{entity} {dict(key)} is deleted on this device")
            if not has_base:  # first pending change: keep the server's copy as the base
                base = current
                rows.write_base(conn, entity.value, key_json, base)
            outbox.append(
                conn,
                entity=entity,
                key_json=key_json,
                op=op,
                base_version=base.version if base else None,
                fields=fields,
                local=local,
                now=now,
            )
            row = apply_change(current, dict(key), PendingChange(op, fields, local))
            rows.write_visible(conn, entity.value, key_json, row, now, confirmed=False)
        for callback in list(self._write_listeners):
            callback()
        return None if row.deleted else {**row.data, "_pending": True}

    # -- reads ----------------------------------------------------------------------------

    def get(self, entity: Entity | str, key: Mapping[str, str]) -> dict[str, Any] | None:
        """The visible item, or ``None`` when there is none (or it is deleted)."""
        entity = parse_entity(entity)
        params = {"entity": entity.value, "key_json": canonical_key(entity, key)}
        with self.transaction(publish=False) as conn:
            row = conn.execute(_GET_VISIBLE, params).first()
        return None if row is None else {**jsontext.loads(row.data), "_pending": bool(row.pending)}

    def query(self, entity: Entity | str, **filters: Any) -> list[dict[str, Any]]:
        """Live items of ``entity`` whose attributes equal ``filters`` (e.g. ``userId=…,
        date="2026-11-24"``; ``None`` matches a missing attribute), in key order."""
        return self._select(parse_entity(entity), None, filters)

    def query_key_range(
        self, entity: Entity | str, attribute: str, low: str, high: str, **filters: Any
    ) -> list[dict[str, Any]]:
        """Like ``query``, limited to items whose key ``attribute`` is within ``low`` and
        ``high`` (both included), read through the key index instead of every item of the
        entity. ``attribute`` must be the key's first one in name order (``date`` of a habit
        completion or a reflection), since keys are stored as JSON with sorted names."""
        entity = parse_entity(entity)
        first = sorted(KEY_ATTRIBUTES[entity])[0]
        if attribute != first:
            raise ValueError(f"{entity} ranges go by {first!r}, not {attribute!r}")
        prefix = '{"' + attribute + '":'
        # "~" sorts after the "," or "}" that follows the value in every stored key
        bounds = (prefix + jsontext.dumps(low), prefix + jsontext.dumps(high) + "~")
        return self._select(entity, bounds, filters)

    def _select(
        self, entity: Entity, bounds: tuple[str, str] | None, filters: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"entity": entity.value}
        if bounds is not None:
            params["low"], params["high"] = bounds
        shape = []
        for name, value in filters.items():
            if not _FIELD_NAME.fullmatch(name):
                raise ValueError(f"not an attribute name: {name!r}")
            if value is not None and not isinstance(value, int | float | str):
                raise ValueError(f"filter {name!r}: only strings, numbers, booleans or None")
            shape.append((name, value is None))
            params[f"f_{name}"] = int(value) if isinstance(value, bool) else value
        query = _select_statement(bounds is not None, tuple(shape))
        with self.transaction(publish=False) as conn:
            found = conn.execute(query, params).all()
        return [{**jsontext.loads(r.data), "_pending": bool(r.pending)} for r in found]

    # -- status and issues ----------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self.transaction(publish=False) as conn:
            record = state.read(conn)
            return SyncStatus(
                pending=outbox.count(conn),
                issues=issues.count_open(conn),
                syncing=self._syncing,
                blocked=record.blocked,
                clock_skew_seconds=record.clock_skew_seconds,
            )

    def issues(self, status: str | None = issues.OPEN) -> list[Issue]:
        """Issues newest first (``status=None``: all of them)."""
        with self.transaction(publish=False) as conn:
            return issues.listed(conn, status)

    def resolve_issue(self, issue_id: str, resolution: str) -> Issue:
        """KEEP_MINE / KEEP_THEIRS / DISMISS: stored at once, sent by the next sync.

        The server carries the resolution out (KEEP_MINE applies the device's value as if
        nothing had happened meanwhile), so every device gets the outcome by pull and the
        value is never applied twice; a sync is requested like after any local write.
        """
        try:
            chosen = Resolution(resolution)
        except ValueError:
            raise ValueError("resolution is KEEP_MINE, KEEP_THEIRS or DISMISS") from None
        with self.transaction() as conn:
            if issues.read(conn, issue_id) is None:
                raise LookupError(f"no sync issue {issue_id!r}")
            issues.mark_resolved(conn, issue_id, chosen, self.now())
            resolved = issues.read(conn, issue_id)
        for callback in list(self._write_listeners):
            callback()
        assert resolved is not None
        return resolved

    def issue(self, issue_id: str) -> Issue | None:
        with self.transaction(publish=False) as conn:
            return issues.read(conn, issue_id)

    # -- the sync record ------------------------------------------------------------------

    def sync_state(self) -> SyncState:
        """The sync record with the account's tokens, from the file or the OS keyring."""
        with self.transaction(publish=False) as conn:
            record = state.read(conn)
        self._user_id = record.user_id
        if record.user_id is None or record.access_token or record.refresh_token:
            return record
        kept = token_keyring.load(record.server_url or "", record.user_id)
        if kept is None:
            return record
        tokens = {"access_token": kept.access_token, "refresh_token": kept.refresh_token}
        return record.model_copy(update=tokens)

    def adopt_session(self, server_url: str, session: AuthSession) -> None:
        """Store a sign-in's tokens (see ``state.adopt_session`` for a change of user): in
        the OS keyring where there is one, else in the file."""
        with self.transaction() as conn:
            previous = state.read(conn)
            state.adopt_session(conn, server_url, session)
            _move_tokens_to_keyring(conn)
        self._user_id = session.user_id
        if previous.user_id is None:
            return
        before = token_keyring.entry(previous.server_url or "", previous.user_id)
        if before != token_keyring.entry(server_url, session.user_id):
            token_keyring.erase(previous.server_url or "", previous.user_id)

    def replace_tokens(self, session: AuthSession) -> None:
        """A refreshed pair in place of the old one, where that one was kept."""
        with self.transaction(publish=False) as conn:
            state.update(
                conn, access_token=session.access_token, refresh_token=session.refresh_token
            )
            _move_tokens_to_keyring(conn)

    def forget_tokens(self) -> None:
        """Signed out: drop the tokens, from the file and the keyring; the data and the
        pending changes stay for the next sign-in, which must be online."""
        with self.transaction() as conn:
            record = state.read(conn)
            state.update(conn, access_token=None, refresh_token=None)
        if record.user_id is not None:
            token_keyring.erase(record.server_url or "", record.user_id)

    def setting(self, name: str) -> Any | None:
        """A device-local preference (never synced), ``None`` when unset."""
        with self.transaction(publish=False) as conn:
            return settings.read(conn, name)

    def put_setting(self, name: str, value: Any) -> None:
        """Store a device-local preference (any JSON value); listeners hear of it."""
        with self.transaction() as conn:
            settings.write(conn, name, value, self.now())

    def rung_reminders(self) -> frozenset[str]:
        """Keys of the reminder occurrences this device has already shown."""
        with self.transaction(publish=False) as conn:
            return frozenset(conn.execute(sa.select(REMINDERS_RUNG.c.key)).scalars())

    def mark_rung(self, keys: Iterable[str]) -> None:
        """Record reminder occurrences as shown (again is harmless); not a data change, so
        listeners are not told."""
        now = self.now()
        rows = [{"key": key, "rung_at": now} for key in keys]
        if not rows:
            return
        with self.transaction(publish=False) as conn:
            conn.execute(sa.insert(REMINDERS_RUNG).prefix_with("OR IGNORE"), rows)

    def pending(self) -> int:
        with self.transaction(publish=False) as conn:
            return outbox.count(conn)

    def user_id(self) -> str:
        """The signed-in user (kept in memory: writes build keys with it)."""
        if self._user_id is None:
            raise NotSignedIn("sign in once before writing on this device")
        return self._user_id

    def checkpoint(self) -> None:
        """Fold the WAL into the database file (outside any transaction, not waiting)."""
        with self._lock:
            raw = self._engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
            finally:
                raw.close()


def _move_tokens_to_keyring(conn: sa.Connection) -> bool:
    """Tokens written to the file (a sign-in, a refresh, a file from before the keyring was
    used) go to the OS keyring when one takes them, and leave the file; True if they moved."""
    record = state.read(conn)
    if record.user_id is None or not (record.access_token or record.refresh_token):
        return False
    tokens = SignInTokens(record.access_token, record.refresh_token)
    if not token_keyring.save(record.server_url or "", record.user_id, tokens):
        return False
    state.update(conn, access_token=None, refresh_token=None)
    return True
