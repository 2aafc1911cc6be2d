"""`python -m bot migrate-db --to postgresql://…`: a SQLite shop copied whole, the ledger checked on both sides."""

from __future__ import annotations

import asyncio
import os
import sys
from decimal import Decimal

import pytest

from bot.domain import promo, referrals, wallet
from bot.storage import conversations, ledger, orders, users
from bot.storage.db import Database
from tests.dbs import fresh_postgres
from tests.domain.conftest import placed_order

pytestmark = pytest.mark.postgres


async def run_cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate-db", *args, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={"PATH": os.environ.get("PATH", "")})
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode, out.decode(), err.decode()


async def a_sqlite_shop(path) -> dict:
    db = await Database.open(path)
    try:
        for user in (1, 2, 3):
            async with db.transaction() as conn:
                await users.touch(conn, user, f"User{user}")
        await wallet.credit(db, 1, 7_000_000, note="cash")
        first = await placed_order(db, 2, price=1_500_000)
        await placed_order(db, 3, price=250_000, status="completed")
        await referrals.set_percent(db, Decimal(5))
        code = await promo.create(db, promo.PromoSpec("WELCOME", 1_000_000, 10, None), actor=1)
        await conversations.save_conversation(db, "order", (1, 1), 3)
        return {"balances": {u: await wallet.balance(db, u) for u in (1, 2, 3)},
                "order": await orders.get(db.conn, first), "promo": code.id}
    finally:
        await db.close()


async def test_a_shop_is_copied_whole_and_the_ledger_agrees(tmp_path):
    path = tmp_path / "bot.db"
    before = await a_sqlite_shop(path)
    async with fresh_postgres() as url:
        code, out, err = await run_cli("--to", url, "--from", str(path))
        assert code == 0, err
        assert "ledger checked on both sides" in out and "done" in out
        db = await Database.open(url)
        try:
            assert {u: await wallet.balance(db, u) for u in (1, 2, 3)} == before["balances"]
            assert await orders.get(db.conn, before["order"].id) == before["order"]
            assert [u.id for u in await users.with_username(db.conn, "user2")] == [2]  # NOCASE on PostgreSQL too
            assert await conversations.load_conversations(db, "order") == {(1, 1): 3}
            async with db.transaction() as conn:  # new rows get ids after the copied ones
                entry = await ledger.add(conn, 1, 1, ledger.LedgerKind.CREDIT)
            assert entry > max(r["id"] for r in await db.fetchall("SELECT id FROM ledger WHERE id <> ?", (entry,)))
        finally:
            await db.close()

        again = await run_cli("--to", url, "--from", str(path))  # never into a database with a shop in it
        assert again[0] == 1 and "not empty" in again[2]


async def test_a_wrong_target_is_refused_with_one_line(tmp_path):
    code, _, err = await run_cli("--to", "mysql://x", "--from", str(tmp_path / "none.db"))
    assert code == 2 and "postgresql://" in err
    code, _, err = await run_cli("--to", "postgresql://u@127.0.0.1:1/db", "--from", str(tmp_path / "none.db"))
    assert code == 1 and err.count("\n") == 1 and "no SQLite database" in err


async def test_a_shop_whose_balances_disagree_with_its_ledger_is_not_copied(tmp_path):
    path = tmp_path / "bot.db"
    await a_sqlite_shop(path)
    db = await Database.open(path)
    try:
        await db.conn.execute("UPDATE balances SET amount = amount + 1 WHERE user_id = 1")
    finally:
        await db.close()
    async with fresh_postgres() as url:
        code, _, err = await run_cli("--to", url, "--from", str(path))
        assert code == 1 and "disagree with their ledger (user ids [1])" in err
        copied = await Database.open(url)
        try:
            assert await copied.fetchall("SELECT * FROM ledger") == []  # rolled back whole
        finally:
            await copied.close()
