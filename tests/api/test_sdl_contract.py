"""The committed SDL (backend/api/schema/*.graphql) keeps the product spec's GraphQL contract.

Checked against the documents themselves, so a drift on either side fails here:
- every type, field and enum value of the spec's type blocks (sections 1-17), with the
  identical type string;
- every operation of "API Queries & Mutations": name, argument names and types, return type;
- the sync operations of docs/sync-protocol.md section 4;
- the signatures our own contract adds (auth, sync issues, paging, operations the access
  patterns imply), pinned below in ``OUR_CONTRACT``.
Each check collects every mismatch and fails once with the full list.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ariadne
import graphql
import pytest
from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
)

from backend.api.sdl import SCHEMA_DIR, build_sdl_schema, load_type_defs

SHARED = Path(__file__).resolve().parents[3] / "shared"
SPEC_PATH = SHARED / "spec/growlink-api-and-database-design.md"
SYNC_DOC_PATH = SHARED / "docs/sync-protocol.md"

# What the spec holds today; a parser that silently finds less must fail, not pass.
SPEC_MIN_OBJECT_TYPES = 20
SPEC_MIN_ENUMS = 16
SPEC_MIN_OPERATIONS = 43

DOMAIN_FILES = {
    "common",
    "auth",
    "users",
    "categories",
    "sessions",
    "venues",
    "goals",
    "habits",
    "reflections",
    "feedback",
    "events",
    "badges",
    "notifications",
    "todos",
    "sync",
}

# Paged siblings of the lists that grow: <query>Page(same args, limit, cursor): <Type>Page!
PAGED_QUERIES = {
    "listSessionsForMentorPage": "SessionPage",
    "listSessionsForMenteePage": "SessionPage",
    "listCompletionsForHabitPage": "HabitCompletionPage",
    "listCompletionsForUserPage": "HabitCompletionPage",
    "listReflectionsForUserPage": "ReflectionPage",
    "listReflectionsForGoalPage": "ReflectionPage",
    "listSharedReflectionsPage": "ReflectionPage",
    "listNotificationsPage": "NotificationPage",
    "listEventsPage": "EventPage",
    "listEventsForHostPage": "EventPage",
    "listEventsForVenuePage": "EventPage",
}

# Signatures our contract adds beyond the spec. Compared like the spec's blocks: every field and
# argument listed here must exist with this exact type; the schema may only add optional args.
OUR_CONTRACT = """
scalar AWSJSON

type User { timeZone: String! }
type Event { meetingLink: String }

input SignUpInput {
  email: String!
  username: String!
  name: String!
  password: String!
  role: UserRole!
  timeZone: String
}
type AuthPayload { accessToken: String!, refreshToken: String!, user: User! }

type HabitStats {
  habitId: ID!
  currentStreak: Int!
  longestStreak: Int!
  completionRate: Float!
  totalCompletions: Int!
  last30Days: [HabitDay!]!
}
type HabitDay { date: String!, completed: Boolean! }

type SessionPage { items: [Session!]!, nextCursor: String }
type HabitCompletionPage { items: [HabitCompletion!]!, nextCursor: String }
type ReflectionPage { items: [Reflection!]!, nextCursor: String }
type NotificationPage { items: [Notification!]!, nextCursor: String }
type EventPage { items: [Event!]!, nextCursor: String }

input HabitCueInput { time: String, place: String, context: String }
input CreateSessionInput {
  sessionId: ID, mentorId: ID!, type: SessionType!, venueId: ID, date: String!, time: String!,
  duration: Int!, topic: String, meetingLink: String
}
input CreateGoalInput {
  goalId: ID, identity: String, title: String!, description: String, category: String,
  dueDate: String, mentorId: ID
}
input CreateHabitInput {
  habitId: ID, goalId: ID!, title: String!, description: String, frequency: HabitFrequency!,
  duration: Int!, cue: HabitCueInput, reward: String
}
input CreateReflectionInput {
  date: String!, mood: Mood!, moodScore: Int, text: String, goalId: ID, isShared: Boolean,
  sharedWithMentorId: ID
}
input CreateWeeklyReflectionInput {
  date: String!, mood: Mood!, moodScore: Int, content: ReflectionContentInput!, goalId: ID,
  isShared: Boolean, sharedWithMentorId: ID
}
input CreateTodoInput { todoId: ID, goalId: ID, text: String!, dueDate: String }
input CreateEventInput { meetingLink: String }
input SessionFeedbackInput { sessionId: ID!, isAnonymous: Boolean }

type SyncIssue {
  issueId: ID!
  entity: SyncEntity!
  key: AWSJSON!
  code: String!
  message: String!
  field: String
  mine: AWSJSON
  theirs: AWSJSON
  status: String!
  createdAt: String!
  updatedAt: String!
}

type Subscription { syncPoke: Int! }

type Query {
  me: User
  pullChanges(cursor: String, limit: Int): PullChangesPayload!
  listSyncIssues(status: String): [SyncIssue!]!

  listCategories: [Category!]!
  getCategory(categoryId: ID!): Category
  getCategoryByName(name: String!): Category
  listCategoriesForUser(userId: ID!): [Category!]!
  listUsersForCategory(categoryId: ID!): [User!]!
  listUsersByInterest(interest: String!): [User!]!
  listMenteesForMentor(mentorId: ID!): [User!]!
  listTodosForUser(userId: ID!, done: Boolean): [Todo!]!
  listTodosForGoal(goalId: ID!): [Todo!]!
  listCompletionsForHabit(habitId: ID!, dateFrom: String, dateTo: String, limit: Int):
    [HabitCompletion!]!
  listCompletionsForUser(userId: ID!, dateFrom: String, dateTo: String, limit: Int):
    [HabitCompletion!]!
  listReflectionsForGoal(goalId: ID!, limit: Int): [Reflection!]!
  getSessionFeedback(sessionId: ID!): SessionFeedback
  listFeedbacksForMentor(mentorId: ID!, limit: Int): [SessionFeedback!]!
  listFeedbacksForMentee(menteeId: ID!, limit: Int): [SessionFeedback!]!
  listReviewsForTarget(targetId: ID!, limit: Int): [Review!]!
  listReviewsByAuthor(authorId: ID!, limit: Int): [Review!]!
  getMentorSessionNotes(sessionId: ID!): MentorSessionNotes
  listMentorSessionNotes(mentorId: ID!, limit: Int): [MentorSessionNotes!]!
  listEventAttendances(eventId: ID!): [EventAttendance!]!
  listAttendancesForUser(userId: ID!): [EventAttendance!]!
  listEventsForVenue(venueId: ID!): [Event!]!
  listBadgesForUser(userId: ID!, limit: Int): [Badge!]!
  listBadgesByType(type: BadgeType!, limit: Int): [Badge!]!

  listSessionsForMentorPage(mentorId: ID!, status: SessionStatus, limit: Int, cursor: String):
    SessionPage!
  listSessionsForMenteePage(menteeId: ID!, status: SessionStatus, limit: Int, cursor: String):
    SessionPage!
  listCompletionsForHabitPage(
    habitId: ID!, dateFrom: String, dateTo: String, limit: Int, cursor: String
  ): HabitCompletionPage!
  listCompletionsForUserPage(
    userId: ID!, dateFrom: String, dateTo: String, limit: Int, cursor: String
  ): HabitCompletionPage!
  listReflectionsForUserPage(userId: ID!, limit: Int, cursor: String): ReflectionPage!
  listReflectionsForGoalPage(goalId: ID!, limit: Int, cursor: String): ReflectionPage!
  listSharedReflectionsPage(mentorId: ID!, limit: Int, cursor: String): ReflectionPage!
  listNotificationsPage(userId: ID!, read: Boolean, limit: Int, cursor: String): NotificationPage!
  listEventsPage(dateFrom: String, dateTo: String, type: EventType, limit: Int, cursor: String):
    EventPage!
  listEventsForHostPage(hostId: ID!, limit: Int, cursor: String): EventPage!
  listEventsForVenuePage(venueId: ID!, limit: Int, cursor: String): EventPage!
}

type Mutation {
  signUp(input: SignUpInput!): AuthPayload!
  signIn(email: String!, password: String!): AuthPayload!
  refreshToken(token: String!): AuthPayload!
  pushChanges(input: PushChangesInput!): PushChangesPayload!
  resolveSyncIssue(issueId: ID!, resolution: String!): SyncIssue!

  createCategory(input: CreateCategoryInput!): Category!
  addUserCategory(categoryId: ID!): UserCategory!
  removeUserCategory(categoryId: ID!): UserCategory!
  verifyUser(userId: ID!): User!
  createVenue(input: CreateVenueInput!): Venue!
  updateVenue(venueId: ID!, input: UpdateVenueInput!): Venue!
  createTodo(input: CreateTodoInput!): Todo!
  updateTodo(todoId: ID!, input: UpdateTodoInput!): Todo!
  toggleTodo(todoId: ID!): Todo!
  deleteTodo(todoId: ID!): Todo!
  updateGoal(goalId: ID!, input: UpdateGoalInput!): Goal!
  submitGoalForApproval(goalId: ID!): Goal!
  completeGoal(goalId: ID!): Goal!
  archiveGoal(goalId: ID!): Goal!
  updateHabit(habitId: ID!, input: UpdateHabitInput!): Habit!
  pauseHabit(habitId: ID!): Habit!
  resumeHabit(habitId: ID!): Habit!
  setHabitStatus(habitId: ID!, status: HabitStatus!): Habit!
  uncompleteHabit(habitId: ID!, date: String!): HabitCompletion!
  updateReflection(date: String!, input: UpdateReflectionInput!): Reflection!
  upsertReview(input: ReviewInput!): Review!
  upsertMentorSessionNotes(input: UpsertMentorSessionNotesInput!): MentorSessionNotes!
  updateEvent(eventId: ID!, input: UpdateEventInput!): Event!
  setEventMeetingLink(eventId: ID!, meetingLink: String!): Event!
  markSessionNoShow(sessionId: ID!): Session!
}
"""


# --------------------------------------------------------------------------- spec parsing


@dataclass(frozen=True)
class SpecOperation:
    """One "query X($a: T!) { op(a: $a): R }" block of the spec's API list."""

    root: str  # "Query" or "Mutation"
    name: str
    args: dict[str, str]  # argument name -> type string, in the spec's order
    returns: str


GRAPHQL_FENCE = re.compile(r"```graphql[ \t]*\n(.*?)```", re.DOTALL)
OPERATION = re.compile(
    r"^\s*(?P<kind>query|mutation)\s+\w+\s*(?:\((?P<vars>[^)]*)\))?\s*\{\s*"
    r"(?P<field>\w+)\s*(?:\((?P<args>[^)]*)\))?\s*:\s*(?P<returns>[^\s{}]+)\s*\}",
    re.MULTILINE,
)
VARIABLE = re.compile(r"\$(?P<name>\w+)\s*:\s*(?P<type>[\w\[\]!]+)")
ARGUMENT = re.compile(r"(?P<name>\w+)\s*:\s*\$(?P<var>\w+)")


@dataclass(frozen=True)
class Spec:
    types: DocumentNode
    operations: tuple[SpecOperation, ...]


def shared_document(path: Path) -> str:
    """The text of a document beside the checkout (``../shared``). Missing, the contract tests
    skip on a developer's machine but fail in CI (``CI=true``), where a skip would hide that
    the contract was never compared."""
    if path.is_file():
        return path.read_text(encoding="utf-8")
    reason = f"{path} not found: the contract cannot be compared with it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the shared documents must be checked out beside)")
    pytest.skip(reason)


@cache
def load_spec() -> Spec:
    """The spec's type blocks as one document, and its operations."""
    type_blocks: list[str] = []
    operations: list[SpecOperation] = []
    for block in GRAPHQL_FENCE.findall(shared_document(SPEC_PATH)):
        if re.match(r"\s*(query|mutation)\b", block):
            found = [_parse_operation(match) for match in OPERATION.finditer(block)]
            assert found, f"spec operation block not understood:\n{block}"
            operations.extend(found)
        else:
            type_blocks.append(block)
    return Spec(types=graphql.parse("\n".join(type_blocks)), operations=tuple(operations))


def _parse_operation(match: re.Match[str]) -> SpecOperation:
    variables = {v["name"]: v["type"] for v in VARIABLE.finditer(match["vars"] or "")}
    args: dict[str, str] = {}
    for arg in ARGUMENT.finditer(match["args"] or ""):
        assert arg["var"] in variables, f"{match['field']}: ${arg['var']} is not declared"
        args[arg["name"]] = variables[arg["var"]]
    root = "Query" if match["kind"] == "query" else "Mutation"
    return SpecOperation(root=root, name=match["field"], args=args, returns=match["returns"])


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec()


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_sdl_schema()


# --------------------------------------------------------------------------- comparison


def _fail_if_any(mismatches: list[str], what: str) -> None:
    if mismatches:
        listing = "\n  ".join(mismatches)
        pytest.fail(f"{len(mismatches)} {what} mismatch(es):\n  {listing}", pytrace=False)


def _check_args(
    where: str, expected: dict[str, str], actual: dict[str, GraphQLArgument]
) -> list[str]:
    """Every expected argument with its exact type; any further argument must be optional."""
    out: list[str] = []
    for name, type_str in expected.items():
        if name not in actual:
            out.append(f"{where}: argument {name}: {type_str} is missing")
        elif str(actual[name].type) != type_str:
            out.append(f"{where}: argument {name} is {actual[name].type}, expected {type_str}")
    for name, arg in actual.items():
        if name not in expected and graphql.is_required_argument(arg):
            out.append(f"{where}: extra argument {name}: {arg.type} must be optional")
    return out


def compare_document(document: DocumentNode, schema: GraphQLSchema) -> list[str]:
    """Mismatches between the definitions of ``document`` and the schema, one line each."""
    out: list[str] = []
    for node in document.definitions:
        if isinstance(node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            out.extend(_compare_object(node, schema))
        elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            enum = schema.get_type(node.name.value)
            if not isinstance(enum, GraphQLEnumType):
                out.append(f"enum {node.name.value} is missing (found {enum!r})")
                continue
            for value in node.values or ():
                if value.name.value not in enum.values:
                    out.append(f"enum {node.name.value}: value {value.name.value} is missing")
        elif isinstance(node, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
            out.extend(_compare_input(node, schema))
        elif isinstance(node, ScalarTypeDefinitionNode):
            if not isinstance(schema.get_type(node.name.value), GraphQLScalarType):
                out.append(f"scalar {node.name.value} is missing")
        else:
            out.append(f"unexpected definition in a compared document: {node.kind}")
    return out


def _compare_object(
    node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode, schema: GraphQLSchema
) -> list[str]:
    name = node.name.value
    obj = schema.get_type(name)
    if not isinstance(obj, GraphQLObjectType):
        return [f"type {name} is missing (found {obj!r})"]
    out: list[str] = []
    for field in node.fields or ():
        expected = graphql.print_ast(field.type)
        actual = obj.fields.get(field.name.value)
        where = f"{name}.{field.name.value}"
        if actual is None:
            out.append(f"{where}: {expected} is missing")
            continue
        if str(actual.type) != expected:
            out.append(f"{where} is {actual.type}, expected {expected}")
        expected_args = {a.name.value: graphql.print_ast(a.type) for a in field.arguments or ()}
        out.extend(_check_args(where, expected_args, actual.args))
    return out


def _compare_input(
    node: InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode, schema: GraphQLSchema
) -> list[str]:
    name = node.name.value
    inp = schema.get_type(name)
    if not isinstance(inp, GraphQLInputObjectType):
        return [f"input {name} is missing (found {inp!r})"]
    out: list[str] = []
    for field in node.fields or ():
        expected = graphql.print_ast(field.type)
        actual = inp.fields.get(field.name.value)
        if actual is None:
            out.append(f"{name}.{field.name.value}: {expected} is missing")
        elif str(actual.type) != expected:
            out.append(f"{name}.{field.name.value} is {actual.type}, expected {expected}")
    return out


def compare_operations(operations: Iterable[SpecOperation], schema: GraphQLSchema) -> list[str]:
    out: list[str] = []
    for op in operations:
        root = schema.query_type if op.root == "Query" else schema.mutation_type
        field = root.fields.get(op.name) if root is not None else None
        where = f"{op.root}.{op.name}"
        if field is None:
            out.append(f"{where} is missing")
            continue
        out.extend(_check_args(where, op.args, field.args))
        if str(field.type) != op.returns:
            out.append(f"{where} returns {field.type}, expected {op.returns}")
    return out


def _root_fields(schema: GraphQLSchema) -> Iterable[tuple[str, str, GraphQLField]]:
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is not None:
            for name, field in root.fields.items():
                yield root.name, name, field


# --------------------------------------------------------------------------- tests


def test_one_file_per_domain() -> None:
    found = {path.stem for path in SCHEMA_DIR.glob("*.graphql")}
    assert found == DOMAIN_FILES


def test_schema_builds_with_graphql_core_and_ariadne() -> None:
    type_defs = load_type_defs()
    schema = graphql.build_schema(type_defs)
    assert graphql.validate_schema(schema) == []
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    assert schema.subscription_type is not None
    assert ariadne.make_executable_schema(type_defs) is not None


def test_spec_parser_finds_the_whole_spec(spec: Spec) -> None:
    kinds = [type(node) for node in spec.types.definitions]
    assert kinds.count(ObjectTypeDefinitionNode) >= SPEC_MIN_OBJECT_TYPES
    assert kinds.count(EnumTypeDefinitionNode) >= SPEC_MIN_ENUMS
    assert len(spec.operations) >= SPEC_MIN_OPERATIONS
    names = [op.name for op in spec.operations]
    assert len(names) == len(set(names)), "the spec names an operation twice"


def test_every_spec_type_field_and_enum_value(spec: Spec, schema: GraphQLSchema) -> None:
    _fail_if_any(compare_document(spec.types, schema), "spec type")


def test_every_spec_operation(spec: Spec, schema: GraphQLSchema) -> None:
    _fail_if_any(compare_operations(spec.operations, schema), "spec operation")


def test_our_contract_signatures(schema: GraphQLSchema) -> None:
    _fail_if_any(compare_document(graphql.parse(OUR_CONTRACT), schema), "contract")


def test_sync_operations_match_the_protocol_doc(schema: GraphQLSchema) -> None:
    text = shared_document(SYNC_DOC_PATH)
    section = text.split("## 4.", 1)[1].split("\n## ", 1)[0]
    blocks = GRAPHQL_FENCE.findall(section)
    assert len(blocks) == 1, "section 4 of the sync protocol should hold one graphql block"
    document = graphql.parse(blocks[0])
    assert len(document.definitions) >= 13
    _fail_if_any(compare_document(document, schema), "sync protocol")


def test_every_root_field_beyond_the_spec_has_a_description(
    spec: Spec, schema: GraphQLSchema
) -> None:
    spec_names = {op.name for op in spec.operations}
    missing = [
        f"{root}.{name}"
        for root, name, field in _root_fields(schema)
        if name not in spec_names and not (field.description or "").strip()
    ]
    _fail_if_any(missing, "undescribed root field")


def test_every_list_query_takes_an_optional_limit(schema: GraphQLSchema) -> None:
    assert schema.query_type is not None
    out: list[str] = []
    for name, field in schema.query_type.fields.items():
        returns = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(returns, GraphQLList) or name.endswith("Page"):
            limit = field.args.get("limit")
            if limit is None or str(limit.type) != "Int":
                out.append(f"Query.{name} lacks limit: Int")
    _fail_if_any(out, "list limit")


def test_paged_queries_mirror_their_list_query(schema: GraphQLSchema) -> None:
    assert schema.query_type is not None
    fields = schema.query_type.fields
    out: list[str] = []
    paged = {name for name in fields if name.endswith("Page")}
    out.extend(
        f"Query.{name} is paged but not listed in PAGED_QUERIES"
        for name in sorted(paged - PAGED_QUERIES.keys())
    )
    for name, page_type in PAGED_QUERIES.items():
        page, sibling = fields.get(name), fields.get(name.removesuffix("Page"))
        if page is None or sibling is None:
            out.append(f"Query.{name} or its list sibling is missing")
            continue
        expected_args = {a: str(arg.type) for a, arg in sibling.args.items()}
        expected_args |= {"limit": "Int", "cursor": "String"}
        out.extend(_check_args(f"Query.{name}", expected_args, page.args))
        if str(page.type) != f"{page_type}!":
            out.append(f"Query.{name} returns {page.type}, expected {page_type}!")
        item = str(sibling.type)  # "[X!]!"
        page_obj = schema.get_type(page_type)
        if not isinstance(page_obj, GraphQLObjectType):
            out.append(f"type {page_type} is missing")
            continue
        shape = {f: str(field.type) for f, field in page_obj.fields.items()}
        if shape != {"items": item, "nextCursor": "String"}:
            out.append(f"{page_type} is {shape}, expected items: {item}, nextCursor: String")
    _fail_if_any(out, "paging")


def test_a_missing_shared_document_fails_in_ci_and_skips_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "spec.md"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        shared_document(missing)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        shared_document(missing)
