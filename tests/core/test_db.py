"""The SQLite core: pragmas, migrations recorded, newer schemas refused, writers serialised."""

import asyncio

import pytest

from bot.storage.db import Database, SchemaTooNew, migration_files


async def test_pragmas_and_schema_version(tmp_path):
    db = await Database.open(tmp_path / "sub" / "bot.db")
    try:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        bundled = migration_files()
        assert await db.schema_version() == (bundled[-1][0] if bundled else 0)
    finally:
        await db.close()


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "bot.db"
    db = await Database.open(path)
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version "
                           "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        await conn.execute("INSERT INTO schema_version VALUES (9999, 'future', 'now')")
    await db.close()
    with pytest.raises(SchemaTooNew, match="9999"):
        await Database.open(path)


async def test_transactions_do_not_interleave(tmp_path):
    db = await Database.open(tmp_path / "bot.db")
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE t_counter (n INTEGER NOT NULL)")
        await conn.execute("INSERT INTO t_counter VALUES (0)")

    async def bump():
        async with db.transaction() as conn:
            row = await (await conn.execute("SELECT n FROM t_counter")).fetchone()
            await asyncio.sleep(0)  # another task would read the same n if writers were not serialised
            await conn.execute("UPDATE t_counter SET n = ?", (row[0] + 1,))

    await asyncio.gather(*(bump() for _ in range(50)))
    assert (await db.fetchone("SELECT n FROM t_counter"))[0] == 50
    await db.close()


async def test_failed_transaction_rolls_back(tmp_path):
    db = await Database.open(tmp_path / "bot.db")
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE t_rb (n INTEGER)")
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t_rb VALUES (1)")
            raise RuntimeError("boom")
    assert (await db.fetchone("SELECT COUNT(*) FROM t_rb"))[0] == 0
    await db.close()
