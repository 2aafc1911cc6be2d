"""`python -m bot check` and `/setup` on PostgreSQL (DATABASE_URL): the server's database is checked, not
a SQLite file — reachable, schema vs the newest migration, ledger, balances == ledger — read-only, and
an unreachable server is one ✗ line naming DATABASE_URL without its password. Real server (tests/dbs.py)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.storage.db import Database, migration_files
from tests import dbs
from tests.deploy.process import free_port
from tests.ops.conftest import run_tool, tool_env
from tests.ops.test_check_cli import line_of
from tests.ops.test_ops_e2e import ADMIN, admin_post

PASSWORD = "pg-Secret-Passw0rd"  # the test server trusts local connections: any password is let in
NEWEST = migration_files()[-1][0]


def with_password(url: str, password: str = PASSWORD) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{parts.hostname}:{parts.port}"))


def shown(url: str) -> str:
    """How the report names a server: user@host:port/database, no password, no query."""
    parts = urlsplit(url)
    return f"PostgreSQL {parts.username}@{parts.hostname}:{parts.port}{parts.path}"


async def has_table(url: str, table: str) -> bool:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT to_regclass($1)", table) is not None
    finally:
        await conn.close()


async def test_an_unreachable_server_is_one_cross_naming_database_url_without_its_password(tmp_path, tg, panel) -> None:
    url = f"postgresql://shop:{PASSWORD}@127.0.0.1:{free_port()}/shop"
    code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, DATABASE_URL=url), "check")
    assert code == 1, out + err
    assert line_of(out, "database") == (
        f"✗ database: {shown(url)} cannot be used: connection refused: no server listens there → check "
        "DATABASE_URL (host, port, user, password, database) and that the server runs and accepts connections "
        "from this machine")
    assert not [line for line in out.splitlines() if line[2:].startswith(("ledger", "balances"))]
    assert f"database {shown(url)}" in line_of(out, "settings")  # not the unused DATABASE_PATH
    assert PASSWORD not in out + err and "Traceback" not in out + err
    assert not (tmp_path / "data").exists()  # no SQLite file looked at or made instead


@pytest.mark.postgres
async def test_an_empty_database_is_created_at_the_first_start_and_check_creates_nothing(tmp_path, tg, panel) -> None:
    async with dbs.fresh_postgres() as url:
        env = tool_env(tg, panel, tmp_path, DATABASE_URL=with_password(url))
        code, out, err = await run_tool(tmp_path, env, "check")
        assert code == 0, out + err
        assert line_of(out, "database") == \
            f"✓ database: {shown(with_password(url))} has no tables yet: they are created at the first start"
        assert not await has_table(url, "schema_version")
    assert PASSWORD not in out + err and not (tmp_path / "data").exists()


@pytest.mark.postgres
async def test_an_old_schema_is_reported_not_migrated_and_a_negative_balance_fails(tmp_path, tg, panel) -> None:
    async with dbs.fresh_postgres() as url:
        db = await Database.open(url, up_to=1)
        await db.conn.execute("INSERT INTO users(id, first_seen, last_seen) VALUES (42, 'x', 'x')")
        await db.conn.execute("INSERT INTO ledger(user_id, amount, kind, created_at) VALUES (42, -5, 'credit', 'x')")
        await db.close()
        code, out, _ = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, DATABASE_URL=url), "check")
        assert code == 1
        assert line_of(out, "database") == f"✓ database: {shown(url)}: schema 1 of {NEWEST}: the missing " \
                                           "migrations are applied at the next start"
        assert line_of(out, "ledger").startswith("✗ ledger: 1 customer(s) with a negative balance")
        conn = await asyncpg.connect(url)
        try:  # still at version 1: check changed nothing
            assert await conn.fetchval("SELECT MAX(version) FROM schema_version") == 1
        finally:
            await conn.close()


@pytest.mark.postgres
async def test_wallets_are_proven_against_the_ledger(tmp_path, tg, panel) -> None:
    from bot.domain import wallet
    from bot.money import to_minor

    async with dbs.fresh_postgres() as url:
        db = await Database.open(url)
        try:
            await wallet.credit(db, 42, to_minor(Decimal("10")), note="test funds")
            await wallet.credit(db, 43, to_minor(Decimal("5")), note="test funds")
            env = tool_env(tg, panel, tmp_path, DATABASE_URL=url)
            code, out, err = await run_tool(tmp_path, env, "check")
            assert code == 0, out + err
            assert line_of(out, "database") == f"✓ database: {shown(url)}: migrations current"
            assert line_of(out, "ledger") == "✓ ledger: 2 entries, 2 customer(s), balances sum to 15.00"
            assert line_of(out, "balances") == "✓ balances: every wallet equals the sum of its ledger"
            await db.conn.execute("UPDATE balances SET amount = amount + 1 WHERE user_id = 43")
            code, out, _ = await run_tool(tmp_path, env, "check")
        finally:
            await db.close()
    assert code == 1
    assert line_of(out, "balances").startswith("✗ balances: 1 wallet(s) whose balance is not the sum of their "
                                               "ledger (users 43) → stop the bot")


@pytest.mark.postgres
async def test_a_schema_newer_than_the_bot_fails_naming_database_url(tmp_path, tg, panel) -> None:
    async with dbs.fresh_postgres() as url:
        db = await Database.open(url)
        await db.conn.execute("INSERT INTO schema_version VALUES (9999, '9999_future.sql', 'x')")
        await db.close()
        code, out, _ = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, DATABASE_URL=url), "check")
    assert code == 1
    assert line_of(out, "database") == f"✗ database: {shown(url)} is schema 9999, this bot knows up to " \
                                       f"{NEWEST} → upgrade the bot, or use another DATABASE_URL"


@pytest.mark.postgres
async def test_a_database_the_server_does_not_have_is_its_refusal(tmp_path, tg, panel) -> None:
    url = with_password(dbs.server_url())
    missing = urlunsplit(urlsplit(url)._replace(path="/no_such_shop", query=""))
    code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, DATABASE_URL=missing), "check")
    assert code == 1, out + err
    line = line_of(out, "database")
    assert line.startswith(f"✗ database: {shown(missing)} cannot be used: the server refused the "
                           'connection (database "no_such_shop" does not exist) → check DATABASE_URL')
    assert PASSWORD not in out + err


@pytest.mark.postgres
async def test_setup_in_the_admin_group_checks_the_postgres_database(tmp_path) -> None:
    from tests.e2e.harness import BotEnv

    async with dbs.fresh_postgres() as url:
        async with BotEnv(tmp_path, admin_ids={ADMIN}, settings={"storage": {"database_url": url}}) as env:
            env.tg.send_group_text(ADMIN, "/setup")
            text = await admin_post(env, "Set-up check")
            assert f"✓ database: {shown(url)}: migrations current" in text, text
            assert "✓ balances: every wallet equals the sum of its ledger" in text
            assert str(env.database_path) not in text


async def test_backup_on_postgres_points_to_pg_dump_instead_of_copying_an_unused_file(tmp_path, tg, panel) -> None:
    url = f"postgresql://shop:{PASSWORD}@127.0.0.1:{free_port()}/shop"
    env = tool_env(tg, panel, tmp_path, DATABASE_URL=url)
    await (await Database.open(tmp_path / "data" / "bot.db")).close()  # DATABASE_PATH's file: not the database
    code, out, err = await run_tool(tmp_path, env, "backup", str(tmp_path / "copy.db"))
    assert code == 2 and "use pg_dump -Fc" in err and "DATABASE_URL is PostgreSQL" in err
    assert not (tmp_path / "copy.db").exists() and PASSWORD not in out + err
