"""The table model: the spec's 17 tables, their keys and their global secondary indexes, plus
the three tables of offline sync (``SYNC_TABLES``: the change feed, sync state, sync issues).

This registry is the single source of truth for both engines: the SQLite engine builds its
tables and indexes from it and the DynamoDB engine creates the same tables and GSIs from it.
Where the spec cannot be taken literally on DynamoDB, a derived attribute stands in
(see docs/decisions.md):

- ``Venues.partnerStatus`` ("partner" / "non_partner") is the key for ``VenuesByPartner``,
  because the boolean ``isPartner`` cannot be a key attribute.
- ``Events.day`` (the date part of ``date``) is the partition key of ``EventsByDate``,
  because one attribute cannot be both partition and sort key of an index.
- ``UsersByInterest`` indexes fan-out items (one per interest) kept in the Users table;
  they carry ``interest`` and the owner's ``ownerId`` (see ``interest_fanout_key``).
- Optional keys (``venueId``, ``mentorId``, ``goalId``, ``sharedWithMentorId``) give sparse
  indexes: an item without the attribute is simply not in the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal


class Table(StrEnum):
    """Every table's base name (the engines add the deployment's prefix)."""

    USERS = "Users"
    CATEGORIES = "Categories"
    USER_CATEGORIES = "UserCategories"
    SESSIONS = "Sessions"
    VENUES = "Venues"
    GOALS = "Goals"
    HABITS = "Habits"
    HABIT_COMPLETIONS = "HabitCompletions"
    REFLECTIONS = "Reflections"
    SESSION_FEEDBACKS = "SessionFeedbacks"
    REVIEWS = "Reviews"
    EVENTS = "Events"
    EVENT_ATTENDANCES = "EventAttendances"
    TODOS = "Todos"
    NOTIFICATIONS = "Notifications"
    BADGES = "Badges"
    MENTOR_SESSION_NOTES = "MentorSessionNotes"
    CHANGE_FEED = "ChangeFeed"
    SYNC_STATE = "SyncState"
    SYNC_ISSUES = "SyncIssues"


KeyType = Literal["S", "N"]


@dataclass(frozen=True)
class KeyAttr:
    """One key attribute and its DynamoDB scalar type."""

    name: str
    type: KeyType = "S"


@dataclass(frozen=True)
class IndexSpec:
    """A global secondary index (projection: all attributes)."""

    name: str
    pk: KeyAttr
    sk: KeyAttr | None = None

    @property
    def key_names(self) -> tuple[str, ...]:
        return (self.pk.name,) if self.sk is None else (self.pk.name, self.sk.name)


@dataclass(frozen=True)
class DerivedAttr:
    """An attribute computed from one source attribute on every write."""

    name: str
    source: str
    compute: Callable[[Any], Any]


@dataclass(frozen=True)
class TableSpec:
    """A table: its base name (before the prefix), primary key and indexes."""

    name: str
    pk: KeyAttr
    sk: KeyAttr | None = None
    indexes: tuple[IndexSpec, ...] = ()
    derived: tuple[DerivedAttr, ...] = ()
    ttl_attribute: str | None = None

    @property
    def key_names(self) -> tuple[str, ...]:
        return (self.pk.name,) if self.sk is None else (self.pk.name, self.sk.name)

    def index(self, name: str) -> IndexSpec:
        for idx in self.indexes:
            if idx.name == name:
                return idx
        raise KeyError(f"table {self.name} has no index {name}")

    def key_attrs(self) -> Iterator[KeyAttr]:
        """Every attribute used as a key by the table or one of its indexes, once each."""
        seen: dict[str, KeyAttr] = {}
        for attr in (self.pk, self.sk, *(a for i in self.indexes for a in (i.pk, i.sk))):
            if attr is not None and attr.name not in seen:
                seen[attr.name] = attr
        return iter(seen.values())

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item[name] for name in self.key_names}


def _s(name: str) -> KeyAttr:
    return KeyAttr(name, "S")


def _gsi(name: str, pk: str, sk: str | None = None) -> IndexSpec:
    return IndexSpec(name, _s(pk), _s(sk) if sk else None)


def _partner_status(is_partner: Any) -> str:
    return "partner" if is_partner else "non_partner"


def _event_day(date: Any) -> str:
    return str(date)[:10]


INTEREST_FANOUT_SEPARATOR = "#interest#"


def is_person_key(user_id: str) -> bool:
    """Whether a Users item's ``userId`` is a person's: the table also holds companions
    (name reservations, refresh-token families, sign-in throttle counters, keyed "#...") and
    interest fan-out items."""
    return not user_id.startswith("#") and INTEREST_FANOUT_SEPARATOR not in user_id


def interest_fanout_key(user_id: str, interest: str) -> str:
    """The ``userId`` of the fan-out item that puts a user under one interest."""
    return f"{user_id}{INTEREST_FANOUT_SEPARATOR}{interest.strip().lower()}"


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        Table.USERS,
        _s("userId"),
        indexes=(
            _gsi("UsersByEmail", "email"),
            _gsi("UsersByUsername", "username"),
            _gsi("UsersByRole", "role", "createdAt"),
            _gsi("UsersByInterest", "interest", "createdAt"),
        ),
    ),
    TableSpec(Table.CATEGORIES, _s("categoryId"), indexes=(_gsi("CategoriesByName", "name"),)),
    TableSpec(
        Table.USER_CATEGORIES,
        _s("userId"),
        _s("categoryId"),
        indexes=(_gsi("UserCategoriesByCategory", "categoryId", "userId"),),
    ),
    TableSpec(
        Table.SESSIONS,
        _s("sessionId"),
        indexes=(
            _gsi("SessionsByMentor", "mentorId", "date"),
            _gsi("SessionsByMentee", "menteeId", "date"),
            _gsi("SessionsByStatus", "status", "date"),
            _gsi("SessionsByVenue", "venueId", "date"),
        ),
    ),
    TableSpec(
        Table.VENUES,
        _s("venueId"),
        indexes=(
            _gsi("VenuesByCity", "city", "name"),
            _gsi("VenuesByType", "type", "name"),
            _gsi("VenuesByPartner", "partnerStatus", "name"),
        ),
        derived=(DerivedAttr("partnerStatus", "isPartner", _partner_status),),
    ),
    TableSpec(
        Table.GOALS,
        _s("goalId"),
        indexes=(
            _gsi("GoalsByUser", "userId", "createdAt"),
            _gsi("GoalsByStatus", "status", "createdAt"),
            _gsi("GoalsByMentor", "mentorId", "createdAt"),
        ),
    ),
    TableSpec(
        Table.HABITS,
        _s("habitId"),
        indexes=(
            _gsi("HabitsByUser", "userId", "createdAt"),
            _gsi("HabitsByGoal", "goalId", "createdAt"),
            _gsi("HabitsByStatus", "status", "createdAt"),
        ),
    ),
    TableSpec(
        Table.HABIT_COMPLETIONS,
        _s("habitId"),
        _s("date"),
        indexes=(_gsi("CompletionsByUser", "userId", "date"),),
    ),
    TableSpec(
        Table.REFLECTIONS,
        _s("userId"),
        _s("date"),
        indexes=(
            _gsi("ReflectionsByGoal", "goalId", "date"),
            _gsi("ReflectionsByShared", "sharedWithMentorId", "date"),
            _gsi("ReflectionsById", "reflectionId"),
        ),
    ),
    TableSpec(
        Table.SESSION_FEEDBACKS,
        _s("sessionId"),
        indexes=(
            _gsi("FeedbacksByMentor", "mentorId", "createdAt"),
            _gsi("FeedbacksByMentee", "menteeId", "createdAt"),
        ),
    ),
    TableSpec(
        Table.REVIEWS,
        _s("targetId"),
        _s("authorId"),
        indexes=(_gsi("ReviewsByAuthor", "authorId", "createdAt"),),
    ),
    TableSpec(
        Table.EVENTS,
        _s("eventId"),
        indexes=(
            _gsi("EventsByDate", "day", "date"),
            _gsi("EventsByHost", "hostId", "date"),
            _gsi("EventsByType", "type", "date"),
            _gsi("EventsByVenue", "venueId", "date"),
        ),
        derived=(DerivedAttr("day", "date", _event_day),),
    ),
    TableSpec(
        Table.EVENT_ATTENDANCES,
        _s("eventId"),
        _s("userId"),
        indexes=(_gsi("AttendancesByUser", "userId", "createdAt"),),
    ),
    TableSpec(
        Table.BADGES,
        _s("userId"),
        _s("earnedAt"),
        indexes=(_gsi("BadgesByType", "type", "earnedAt"),),
    ),
    TableSpec(
        Table.NOTIFICATIONS,
        _s("userId"),
        _s("createdAt"),
        indexes=(
            _gsi("NotificationsByType", "type", "createdAt"),
            _gsi("NotificationsById", "notificationId"),
        ),
    ),
    TableSpec(
        Table.TODOS,
        _s("userId"),
        _s("todoId"),
        indexes=(_gsi("TodosByGoal", "goalId", "createdAt"),),
    ),
    TableSpec(
        Table.MENTOR_SESSION_NOTES,
        _s("sessionId"),
        indexes=(_gsi("NotesByMentor", "mentorId", "createdAt"),),
    ),
)


TTL_ATTRIBUTE = "_ttl"
"""Epoch seconds after which DynamoDB may drop an item: tombstones, change-feed entries, jobs'
sent keys (the SQLite engine purges them on a schedule)."""

TABLES = tuple(replace(t, ttl_attribute=TTL_ATTRIBUTE) for t in TABLES)

SYNC_TABLES: tuple[TableSpec, ...] = (
    # One change feed per user (feedId = userId) plus "public" for Categories, Venues and
    # Events; seq is gap-free per feed (docs/sync-protocol.md section 3).
    TableSpec(Table.CHANGE_FEED, _s("feedId"), KeyAttr("seq", "N"), ttl_attribute=TTL_ATTRIBUTE),
    # name "feed" holds a feed's lastSeq; "client#<clientId>" a device's lastMutationId;
    # ownerId "jobs" the jobs' lease, "job:<subject>" the keys of what jobs sent (these expire).
    TableSpec(Table.SYNC_STATE, _s("ownerId"), _s("name"), ttl_attribute=TTL_ATTRIBUTE),
    # Rejected and conflicting device changes, kept for the user to resolve.
    TableSpec(Table.SYNC_ISSUES, _s("userId"), _s("issueId"), ttl_attribute=TTL_ATTRIBUTE),
)


@dataclass(frozen=True)
class TableRegistry:
    """The set of tables a store serves, looked up by base name."""

    tables: tuple[TableSpec, ...] = TABLES
    _by_name: dict[str, TableSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.tables})

    def __getitem__(self, name: str) -> TableSpec:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"unknown table {name!r}") from None

    def __iter__(self) -> Iterator[TableSpec]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def with_tables(self, *extra: TableSpec) -> TableRegistry:
        return TableRegistry((*self.tables, *extra))


SPEC_TABLES = TableRegistry()
"""The spec's 17 tables."""

ALL_TABLES = SPEC_TABLES.with_tables(*SYNC_TABLES)
"""What the server stores: the spec's tables plus the sync tables (the engines' default)."""
