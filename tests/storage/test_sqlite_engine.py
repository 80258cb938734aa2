"""What only the SQLite engine needs: a real file, WAL, indexes, and several writers at once."""

import asyncio
import sqlite3
import threading

from backend.storage import ConditionFailed, ItemNotExists
from backend.storage.sqlite_engine import SQLiteEngine
from backend.storage.tables import ALL_TABLES


async def test_the_file_uses_wal_and_has_an_index_per_gsi(tmp_path):
    path = tmp_path / "g.db"
    engine = SQLiteEngine(path, table_prefix="dev-")
    await engine.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {f"dev-{t.name}" for t in ALL_TABLES}
    for table in ALL_TABLES:
        for index in table.indexes:
            assert f"ix_dev-{table.name}_{index.name}" in indexes


async def test_gsi_queries_use_their_index(tmp_path):
    engine = SQLiteEngine(tmp_path / "g.db")
    conn = sqlite3.connect(tmp_path / "g.db")
    plan = " ".join(
        str(r)
        for r in conn.execute(
            'EXPLAIN QUERY PLAN SELECT item FROM "Sessions" '
            'INDEXED BY "ix_Sessions_SessionsByMentor" '
            "WHERE g0_pk = ? AND g0_sk IS NOT NULL ORDER BY g0_sk, pk LIMIT 21",
            ["m1"],
        )
    )
    assert "ix_Sessions_SessionsByMentor" in plan and "TEMP B-TREE" not in plan
    await engine.close()


async def test_data_survives_reopening_the_file(tmp_path):
    engine = SQLiteEngine(tmp_path / "g.db")
    await engine.put("Users", {"userId": "u1", "name": "Ann"})
    await engine.close()
    reopened = SQLiteEngine(tmp_path / "g.db")
    assert await reopened.get("Users", {"userId": "u1"}) == {"userId": "u1", "name": "Ann"}
    await reopened.close()


def test_two_engines_on_one_file_in_threads_never_see_database_locked(tmp_path):
    path = tmp_path / "shared.db"
    SQLiteEngine(path)  # creates the tables once
    errors: list[BaseException] = []
    winners: list[int] = []

    def writer(n: int) -> None:
        async def run() -> None:
            engine = SQLiteEngine(path)
            for i in range(150):
                await engine.put("Todos", {"userId": f"w{n}", "todoId": f"t{i}"})
                await engine.update("Users", {"userId": "counter"}, add={"n": 1})
            try:
                await engine.put("Users", {"userId": "first"}, condition=ItemNotExists())
                winners.append(n)
            except ConditionFailed:
                pass
            await engine.close()

        try:
            asyncio.run(run())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(winners) == 1

    async def check() -> None:
        engine = SQLiteEngine(path)
        assert (await engine.get("Users", {"userId": "counter"}))["n"] == 600
        for n in range(4):
            assert len((await engine.query("Todos", f"w{n}", limit=1000)).items) == 150
        await engine.close()

    asyncio.run(check())


async def test_purge_expired_deletes_only_items_whose_ttl_has_passed(tmp_path):
    engine = SQLiteEngine(tmp_path / "ttl.db")
    await engine.put("Todos", {"userId": "u", "todoId": "gone", "_deleted": True, "_ttl": 999})
    await engine.put("Todos", {"userId": "u", "todoId": "due", "_deleted": True, "_ttl": 1000})
    await engine.put("Todos", {"userId": "u", "todoId": "kept", "_deleted": True, "_ttl": 1001})
    await engine.put("Todos", {"userId": "u", "todoId": "live"})
    await engine.put("ChangeFeed", {"feedId": "u", "seq": 1, "_ttl": 10})
    await engine.put("ChangeFeed", {"feedId": "u", "seq": 2, "_ttl": 5000})

    assert await engine.purge_expired(1000) == {"Todos": 2, "ChangeFeed": 1}

    left = await engine.query("Todos", "u")
    assert sorted(t["todoId"] for t in left.items) == ["kept", "live"]
    assert [e["seq"] for e in (await engine.query("ChangeFeed", "u")).items] == [2]
    assert await engine.purge_expired(1000) == {}
    await engine.close()


async def test_an_operational_error_is_storage_unavailable_and_frees_the_engine(tmp_path):
    """A missing table (dropped behind the engine's back) fails the reads and the write on
    it, rolls back the write's transaction, and the engine goes on serving the others."""
    import pytest

    from backend.storage import StorageUnavailable

    path = tmp_path / "g.db"
    engine = SQLiteEngine(path)
    await engine.put("Todos", {"userId": "u", "todoId": "t", "text": "x"})
    with sqlite3.connect(path) as other:
        other.execute('DROP TABLE "Todos"')
    with pytest.raises(StorageUnavailable, match="no such table"):
        await engine.query("Todos", "u")
    with pytest.raises(StorageUnavailable, match="no such table"):
        await engine.put("Todos", {"userId": "u", "todoId": "t"}, condition=ItemNotExists())
    assert not engine._conn.in_transaction
    taken: list[bool] = []  # another thread can take the lock: it was released
    other_thread = threading.Thread(target=lambda: taken.append(engine._lock.acquire(timeout=5)))
    other_thread.start()
    other_thread.join()
    assert taken == [True]
