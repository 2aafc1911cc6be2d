"""Backups: a copy taken while orders are being placed opens and balances; `python -m bot backup`;
the daily backup's retention and its /stats line."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.domain import ordering, wallet
from bot.money import to_minor
from bot.ops import backup
from bot.panel.models import OrderRequest
from bot.storage import ops as store
from bot.storage.db import Database
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv
from tests.ops.conftest import run_tool

CUSTOMERS = range(9501, 9505)
FUNDS = Decimal("500")
_tokens = itertools.count(1)


def audit(path) -> dict[int, tuple[int, int]]:
    """Per customer in a database file: (ledger balance, funds − charges of their orders + refunds)."""
    conn = store.read_only(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = {}
        for (user_id,) in conn.execute("SELECT DISTINCT user_id FROM ledger"):
            balance = conn.execute("SELECT SUM(amount) FROM ledger WHERE user_id = ?", (user_id,)).fetchone()[0]
            orders = conn.execute("SELECT id, price FROM orders WHERE user_id = ?", (user_id,)).fetchall()
            charges = conn.execute("SELECT reference, amount FROM ledger WHERE user_id = ? AND kind = 'order_charge'",
                                   (user_id,)).fetchall()
            assert sorted(f"order:{oid}" for oid, _ in orders) == sorted(ref for ref, _ in charges)  # no half order
            other = conn.execute("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE user_id = ? "
                                 "AND kind <> 'order_charge'", (user_id,)).fetchone()[0]
            found[user_id] = (balance, other - sum(price for _, price in orders))
        stored = dict(conn.execute("SELECT user_id, amount FROM balances").fetchall())
        assert stored == {user: balance for user, (balance, _) in found.items()}  # wallets = their ledgers
        return found
    finally:
        conn.close()


async def test_a_backup_taken_while_orders_are_placed_opens_and_balances(tmp_path) -> None:
    async with BotEnv(tmp_path) as env:
        await env.load_catalogue()
        for user_id in CUSTOMERS:
            await wallet.credit(env.db, user_id, to_minor(FUNDS), note="test funds")
        stop = asyncio.Event()

        async def customer(user_id: int) -> int:
            placed = 0
            while not stop.is_set():
                request = OrderRequest(service="1", link=f"https://instagram.com/p/{placed}", quantity=100)
                await ordering.place_order(env.db, env.runtime.panels, user_id=user_id, panel="main", request=request,
                                           client_token=f"bk-{next(_tokens)}", default_markup=Decimal(0))
                placed += 1
            return placed

        workers = [asyncio.create_task(customer(u)) for u in CUSTOMERS]
        await asyncio.sleep(0.3)
        copies = []
        for n in range(3):  # each copy is taken mid-stream
            copies.append(await backup.backup_to(env.database_path, tmp_path / "copies" / f"copy{n}.db"))
            await asyncio.sleep(0.1)
        stop.set()
        placed = await asyncio.gather(*workers)
    assert sum(placed) > 10
    counts = []
    for copy in copies:
        found = audit(copy)
        assert set(found) == set(CUSTOMERS)
        assert all(balance == expected for balance, expected in found.values()), found
        with sqlite3.connect(copy) as conn:
            counts.append(conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0])
    assert counts == sorted(counts) and counts[-1] < sum(placed)  # true snapshots of a moving database
    final = audit(env.database_path)
    assert all(balance == expected for balance, expected in final.values())


async def test_python_dash_m_bot_backup_writes_a_copy_that_opens(tmp_path) -> None:
    async with BotEnv(tmp_path) as env:
        await wallet.credit(env.db, 9601, to_minor(Decimal("12.5")), note="test funds")
        env_vars = {"PATH": "/usr/bin:/bin", "BOT_TOKEN": env.tg.token, "PANEL_URL": "demo",
                    "DATABASE_PATH": str(env.database_path)}
        code, out, err = await run_tool(tmp_path / "cwd", env_vars, "backup", str(tmp_path / "out" / "copy.db"))
    assert code == 0, err
    assert "written to" in out
    assert audit(tmp_path / "out" / "copy.db")[9601][0] == to_minor(Decimal("12.5"))


async def test_daily_backups_keep_the_newest_and_show_in_stats(tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    db = await Database.open(tmp_path / "bot.db")
    await db.close()
    start = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    for day in range(4):
        await backup.daily_backup(tmp_path / "bot.db", folder, 2, now=start + timedelta(days=day))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["bot-20260103-030000.db", "bot-20260104-030000.db", "notes.txt"]
    assert backup.seconds_until_due(folder, start + timedelta(days=3, hours=1)) == 23 * 3600
    # the running bot: the newest backup is older than a day, so one is due at once; still 2 kept
    async with BotEnv(tmp_path, admin_ids={1}, settings={"ops": {"backup_dir": folder, "backup_keep": 2}}) as env:
        for _ in range(200):
            if backup.automatic_backups(folder)[-1].name != "bot-20260104-030000.db":
                break
            await asyncio.sleep(0.05)
        found = backup.automatic_backups(folder)
        assert len(found) == 2 and found[0].name == "bot-20260104-030000.db"
        env.tg.send_group_text(1, "/stats")
        stats = await env.tg.wait_for("sendMessage", lambda c: "backup" in (c.text or ""), chat_id=ADMIN_CHAT_ID)
        assert "2 kept of 2" in stats.text
