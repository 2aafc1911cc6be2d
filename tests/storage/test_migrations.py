"""Migrations: applied in order, recorded, partial upgrade with up_to, newer schema refused."""

from __future__ import annotations

import pytest

from bot.storage.db import Database, SchemaTooNew, migration_files


async def _tables(db: Database) -> set[str]:
    if db.is_postgres:
        rows = await db.fetchall("SELECT table_name AS name FROM information_schema.tables "
                                 "WHERE table_schema = current_schema()")
    else:
        rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row["name"] for row in rows}


async def test_core_schema_has_every_table(db_target):
    db = await Database.open(db_target, up_to=1)
    try:
        assert await db.schema_version() == 1
        assert {
            "users", "ledger", "categories", "services", "catalogue_fetches", "markups", "orders",
            "refills", "panel_state", "audit_log", "schema_version",
        } <= await _tables(db)
    finally:
        await db.close()


async def test_database_made_by_migration_1_upgrades_to_the_newest(db_target):
    path = db_target
    old = await Database.open(path, up_to=1)
    await old.conn.execute(
        "INSERT INTO users(id, first_seen, last_seen) VALUES (7, '2024-01-01', '2024-01-01')"
    )
    await old.close()

    db = await Database.open(path)
    try:
        newest = migration_files()[-1][0]
        assert await db.schema_version() == newest
        versions = [row["version"] for row in await db.fetchall("SELECT version FROM schema_version")]
        assert versions == [v for v, _, _ in migration_files()]
        assert (await db.fetchone("SELECT id FROM users"))["id"] == 7  # data survived the upgrade
    finally:
        await db.close()


async def test_reopening_applies_nothing_twice(db_target):
    path = db_target
    await (await Database.open(path)).close()
    db = await Database.open(path)
    try:
        rows = await db.fetchall("SELECT version FROM schema_version")
        assert len(rows) == len(migration_files())
    finally:
        await db.close()


async def test_newer_schema_is_refused_with_a_clear_message(db_target):
    path = db_target
    db = await Database.open(path)
    await db.conn.execute(
        "INSERT INTO schema_version(version, name, applied_at) VALUES (9999, '9999_future.sql', 'x')"
    )
    await db.close()
    with pytest.raises(SchemaTooNew, match="version 9999"):
        await Database.open(path)


async def test_pragmas_are_set(db):
    if db.is_postgres:
        pytest.skip("SQLite's pragmas; PostgreSQL has none (and ignores PRAGMA statements)")
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
