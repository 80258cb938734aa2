"""`growlink-server init-tables` on a DynamoDB-compatible server: all tables and GSIs."""

import subprocess
import sys

import boto3
import pytest

from backend.storage.dynamodb_engine import DynamoDBEngine
from backend.storage.tables import ALL_TABLES, SPEC_TABLES, SYNC_TABLES

SPEC_GSI_NAMES = {
    "Users": {"UsersByEmail", "UsersByUsername", "UsersByRole", "UsersByInterest"},
    "Sessions": {"SessionsByMentor", "SessionsByMentee", "SessionsByStatus", "SessionsByVenue"},
    "Goals": {"GoalsByUser", "GoalsByStatus", "GoalsByMentor"},
    "Habits": {"HabitsByUser", "HabitsByGoal", "HabitsByStatus"},
    "HabitCompletions": {"CompletionsByUser"},
    "Reflections": {"ReflectionsByGoal", "ReflectionsByShared"},
    "SessionFeedbacks": {"FeedbacksByMentor", "FeedbacksByMentee"},
    "Reviews": {"ReviewsByAuthor"},
    "Events": {"EventsByDate", "EventsByHost", "EventsByType", "EventsByVenue"},
    "EventAttendances": {"AttendancesByUser"},
    "Badges": {"BadgesByType"},
    "Notifications": {"NotificationsByType"},
    "Todos": {"TodosByGoal"},
    "MentorSessionNotes": {"NotesByMentor"},
    "Categories": {"CategoriesByName"},
    "UserCategories": {"UserCategoriesByCategory"},
    "Venues": {"VenuesByCity", "VenuesByType", "VenuesByPartner"},
}


SYNC_KEYS = {
    "ChangeFeed": (("feedId", "S"), ("seq", "N")),
    "SyncState": (("ownerId", "S"), ("name", "S")),
    "SyncIssues": (("userId", "S"), ("issueId", "S")),
}


def test_the_model_has_the_specs_17_tables_and_every_named_gsi():
    assert len(SPEC_TABLES) == 17
    assert set(SPEC_GSI_NAMES) == {t.name for t in SPEC_TABLES}
    for table in SPEC_TABLES:
        names = {i.name for i in table.indexes}
        assert SPEC_GSI_NAMES.get(table.name, set()) <= names, table.name


def test_the_server_stores_the_spec_tables_plus_the_sync_tables():
    assert [t.name for t in ALL_TABLES] == [t.name for t in (*SPEC_TABLES, *SYNC_TABLES)]
    assert len(ALL_TABLES) == 20
    for table in SYNC_TABLES:
        pk, sk = SYNC_KEYS[table.name]
        assert (table.pk.name, table.pk.type) == pk
        assert table.sk is not None and (table.sk.name, table.sk.type) == sk
        assert table.indexes == ()
    # Tombstones, feed entries and jobs' sent keys expire: every table has a TTL attribute.
    assert all(t.ttl_attribute == "_ttl" for t in ALL_TABLES)


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def fresh_dynamodb(dynamodb_server):
    dynamodb_server.reset()
    return dynamodb_server


def test_init_tables_creates_all_tables_with_their_keys_and_gsis_and_can_rerun(fresh_dynamodb):
    first = _run_cli(
        "init-tables",
        "--engine",
        "dynamodb",
        "--endpoint-url",
        fresh_dynamodb.url,
        "--table-prefix",
        "growlink-dev-",
    )
    assert first.returncode == 0, first.stderr
    client = boto3.client("dynamodb", endpoint_url=fresh_dynamodb.url, region_name="us-east-1")
    names = set(client.list_tables()["TableNames"])
    assert names == {f"growlink-dev-{t.name}" for t in ALL_TABLES}
    for spec in ALL_TABLES:
        table = client.describe_table(TableName=f"growlink-dev-{spec.name}")["Table"]
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        key = {k["KeyType"]: k["AttributeName"] for k in table["KeySchema"]}
        assert key["HASH"] == spec.pk.name
        assert key.get("RANGE") == (spec.sk.name if spec.sk else None)
        gsis = {
            g["IndexName"]: {k["KeyType"]: k["AttributeName"] for k in g["KeySchema"]}
            for g in table.get("GlobalSecondaryIndexes", [])
        }
        assert set(gsis) == {i.name for i in spec.indexes}
        for index in spec.indexes:
            assert gsis[index.name]["HASH"] == index.pk.name
            assert gsis[index.name].get("RANGE") == (index.sk.name if index.sk else None)
        ttl = client.describe_time_to_live(TableName=f"growlink-dev-{spec.name}")
        ttl_status = ttl["TimeToLiveDescription"]
        if spec.ttl_attribute:
            assert ttl_status["TimeToLiveStatus"] == "ENABLED", spec.name
            assert ttl_status["AttributeName"] == "_ttl"
        else:
            assert ttl_status["TimeToLiveStatus"] == "DISABLED", spec.name

    again = _run_cli(
        "init-tables",
        "--engine",
        "dynamodb",
        "--endpoint-url",
        fresh_dynamodb.url,
        "--table-prefix",
        "growlink-dev-",
    )
    assert again.returncode == 0, again.stderr
    assert "0 created" in again.stdout
    assert set(client.list_tables()["TableNames"]) == names


def test_init_tables_adds_an_index_missing_from_an_existing_table(fresh_dynamodb):
    client = boto3.client("dynamodb", endpoint_url=fresh_dynamodb.url, region_name="us-east-1")
    engine = DynamoDBEngine(endpoint_url=fresh_dynamodb.url, table_prefix="old-")
    request = engine._create_request(SPEC_TABLES["Todos"])
    request.pop("GlobalSecondaryIndexes")
    request["AttributeDefinitions"] = [
        {"AttributeName": "userId", "AttributeType": "S"},
        {"AttributeName": "todoId", "AttributeType": "S"},
    ]
    client.create_table(**request)
    created = engine.create_tables()
    assert "old-Todos.TodosByGoal" in created
    table = client.describe_table(TableName="old-Todos")["Table"]
    assert [g["IndexName"] for g in table["GlobalSecondaryIndexes"]] == ["TodosByGoal"]


def test_init_tables_on_sqlite_creates_the_file(tmp_path):
    db = tmp_path / "fresh.db"
    result = _run_cli("init-tables", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert db.exists() and "20 tables ready" in result.stdout
