"""The balances table: kept in the same transaction as each ledger row, read in constant time,
backfilled by migration 0008, and proven against the ledger (Σ ledger = balance for every wallet)."""

from __future__ import annotations

import pytest

from bot.domain import wallet
from bot.storage import ledger, users
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind


async def test_every_ledger_row_moves_the_balance_row_with_it(db):
    await users.ensure(db.conn, 1)
    for amount in (500, -200, 7):
        await ledger.add(db.conn, 1, amount, LedgerKind.CREDIT)
    row = await db.fetchone("SELECT amount FROM balances WHERE user_id = 1")
    assert row["amount"] == 307 == await ledger.balance(db.conn, 1)
    assert await ledger.balance(db.conn, 2) == 0  # no row yet: nothing ever happened
    assert await wallet.check_balances(db) == []


async def test_the_balance_is_read_from_its_row_not_summed(db):
    await users.ensure(db.conn, 1)
    await ledger.add(db.conn, 1, 100, LedgerKind.CREDIT)
    if db.is_postgres:
        pytest.skip("SQLite's query planner (EXPLAIN QUERY PLAN); PostgreSQL plans by table statistics")
    plan = await db.fetchall("EXPLAIN QUERY PLAN " + ledger.BALANCE_SQL, (1,))
    details = " ".join(row["detail"] for row in plan)
    assert "balances" in details and "ledger" not in details


async def test_the_check_names_every_wallet_whose_row_disagrees_with_its_ledger(db):
    for user_id in (1, 2, 3):
        await users.ensure(db.conn, user_id)
        await ledger.add(db.conn, user_id, 1000 * user_id, LedgerKind.CREDIT)
    await db.conn.execute("UPDATE balances SET amount = amount + 1 WHERE user_id = 2")
    await db.conn.execute("DELETE FROM balances WHERE user_id = 3")
    found = await wallet.check_balances(db)
    assert [(m.user_id, m.ledger_sum, m.balance) for m in found] == [(2, 2000, 2001), (3, 3000, 0)]


async def test_a_rolled_back_transaction_leaves_neither_row(db):
    await users.ensure(db.conn, 1)
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await ledger.add(conn, 1, 50, LedgerKind.CREDIT)
            raise RuntimeError("boom")
    assert await ledger.balance(db.conn, 1) == 0
    assert await wallet.check_balances(db) == []


async def test_migration_0008_backfills_balances_from_an_existing_ledger(tmp_path):
    path = tmp_path / "bot.db"
    old = await Database.open(path, up_to=7)
    for user_id, amounts in ((7, (500, -120)), (8, (9,))):
        await old.conn.execute(
            "INSERT INTO users(id, first_seen, last_seen) VALUES (?, '2024-01-01', '2024-01-01')", (user_id,))
        for amount in amounts:
            await old.conn.execute(
                "INSERT INTO ledger(user_id, amount, kind, created_at) VALUES (?, ?, 'credit', '2024-01-01')",
                (user_id, amount))
    await old.close()
    db = await Database.open(path)
    try:
        assert await ledger.balance(db.conn, 7) == 380
        assert await ledger.balance(db.conn, 8) == 9
        assert await wallet.check_balances(db) == []
    finally:
        await db.close()
