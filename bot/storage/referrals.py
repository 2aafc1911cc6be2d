"""Referral program tables: personal codes, who brought whom, the program's percent, commissions.

Callers run writes inside `db.transaction()`; the rules (who may be attached, how much a
commission is) live in bot/domain/referrals.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class Commission:
    """The settlement of one referred customer's order."""

    order_id: int
    referrer_id: int
    user_id: int
    percent: Decimal
    spent: int
    amount: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ProgramTotals:
    """The whole program at a glance (admin /stats), since a moment."""

    referred: int  # customers attached to a referrer, ever
    referred_since: int  # ... of whom attached since the moment
    commissions: int  # commissions credited since the moment
    paid: int  # commission credited since the moment, net of take-backs (minor)


def _commission(row: aiosqlite.Row) -> Commission:
    return Commission(
        order_id=row["order_id"], referrer_id=row["referrer_id"], user_id=row["user_id"],
        percent=Decimal(row["percent"]), spent=row["spent"], amount=row["amount"],
        created_at=parse_time(row["created_at"]), updated_at=parse_time(row["updated_at"]),
    )


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple) -> aiosqlite.Row | None:
    async with conn.execute(sql, params) as cur:
        return await cur.fetchone()


def _since(moment: datetime | None) -> str:
    """A moment as stored timestamps are written ("" when None: before everything)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


# --- codes ---------------------------------------------------------------------------------------

async def code_of(conn: aiosqlite.Connection, user_id: int) -> str | None:
    """The customer's personal code, if one was made."""
    row = await _one(conn, "SELECT code FROM referral_codes WHERE user_id = ?", (user_id,))
    return row[0] if row else None


async def owner_of(conn: aiosqlite.Connection, code: str) -> int | None:
    """Whose personal code this is."""
    row = await _one(conn, "SELECT user_id FROM referral_codes WHERE code = ?", (code,))
    return row[0] if row else None


async def insert_code(conn: aiosqlite.Connection, user_id: int, code: str) -> None:
    """Give the customer their code; IntegrityError if the code is taken or they have one."""
    await conn.execute(
        "INSERT INTO referral_codes(user_id, code, created_at) VALUES (?, ?, ?)", (user_id, code, now_text())
    )


# --- who brought whom ----------------------------------------------------------------------------

async def referrer_of(conn: aiosqlite.Connection, user_id: int) -> int | None:
    """Who brought this customer (None: nobody)."""
    row = await _one(conn, "SELECT referrer_id FROM referrals WHERE user_id = ?", (user_id,))
    return row[0] if row else None


async def in_upline(conn: aiosqlite.Connection, user_id: int, candidate: int) -> bool:
    """Whether `candidate` is `user_id` or anyone up its chain of referrers (a loop if attached)."""
    if user_id == candidate:
        return True
    row = await _one(
        conn,
        "WITH RECURSIVE up(id, depth) AS ("
        " SELECT referrer_id, 1 FROM referrals WHERE user_id = ?"
        " UNION ALL SELECT r.referrer_id, up.depth + 1 FROM referrals r JOIN up ON r.user_id = up.id"
        " WHERE up.depth < 10000"
        ") SELECT 1 FROM up WHERE id = ? LIMIT 1",
        (user_id, candidate),
    )
    return row is not None


async def attach(conn: aiosqlite.Connection, user_id: int, referrer_id: int) -> bool:
    """Record who brought the customer; False when they already have a referrer."""
    if user_id == referrer_id:  # the table's CHECK refuses it (INSERT OR IGNORE skips that on SQLite only)
        return False
    cur = await conn.execute(
        "INSERT OR IGNORE INTO referrals(user_id, referrer_id, created_at) VALUES (?, ?, ?)",
        (user_id, referrer_id, now_text()),
    )
    return cur.rowcount > 0


async def count_referred(conn: aiosqlite.Connection, referrer_id: int) -> int:
    """How many customers this one brought."""
    row = await _one(conn, "SELECT COUNT(*) FROM referrals WHERE referrer_id = ?", (referrer_id,))
    return int(row[0])


# --- the program's percent -----------------------------------------------------------------------

async def program_percent(conn: aiosqlite.Connection) -> Decimal:
    """REFERRAL_PERCENT as last stored at start-up (0 when never stored: the program is off)."""
    row = await _one(conn, "SELECT percent FROM referral_program WHERE id = 1", ())
    return Decimal(row[0]) if row else Decimal(0)


async def set_program_percent(conn: aiosqlite.Connection, percent: Decimal) -> None:
    """Store the percent commissions are settled at from now on."""
    await conn.execute(
        "INSERT INTO referral_program(id, percent, updated_at) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET percent = excluded.percent, updated_at = excluded.updated_at",
        (str(percent), now_text()),
    )


# --- commissions ---------------------------------------------------------------------------------

async def commission_of(conn: aiosqlite.Connection, order_id: int) -> Commission | None:
    """The settlement of one order, if it was settled."""
    row = await _one(conn, "SELECT * FROM referral_commissions WHERE order_id = ?", (order_id,))
    return _commission(row) if row else None


async def insert_commission(
    conn: aiosqlite.Connection, *, order_id: int, referrer_id: int, user_id: int, percent: Decimal,
    spent: int, amount: int,
) -> None:
    """Record an order's settlement; IntegrityError if it was settled before."""
    now = now_text()
    await conn.execute(
        "INSERT INTO referral_commissions(order_id, referrer_id, user_id, percent, spent, amount, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (order_id, referrer_id, user_id, str(percent), spent, amount, now, now),
    )


async def update_commission(conn: aiosqlite.Connection, order_id: int, *, spent: int, amount: int) -> None:
    """A refund after settlement changed what the order kept and so what it pays."""
    await conn.execute(
        "UPDATE referral_commissions SET spent = ?, amount = ?, updated_at = ? WHERE order_id = ?",
        (spent, amount, now_text(), order_id),
    )


async def unannounced_commissions(conn: aiosqlite.Connection, limit: int = 100) -> list[Commission]:
    """Paying settlements whose referrer was not told yet, oldest first."""
    async with conn.execute(
        "SELECT * FROM referral_commissions WHERE announced = 0 AND amount > 0 ORDER BY order_id LIMIT ?",
        (limit,),
    ) as cur:
        return [_commission(row) for row in await cur.fetchall()]


async def mark_announced(conn: aiosqlite.Connection, order_id: int) -> None:
    """The referrer was told about (or will never hear of) this order's commission."""
    await conn.execute("UPDATE referral_commissions SET announced = 1 WHERE order_id = ?", (order_id,))


async def recent_commissions(conn: aiosqlite.Connection, referrer_id: int, limit: int = 5) -> list[Commission]:
    """The referrer's latest paying settlements, newest first."""
    async with conn.execute(
        "SELECT * FROM referral_commissions WHERE referrer_id = ? AND amount > 0 ORDER BY order_id DESC LIMIT ?",
        (referrer_id, limit),
    ) as cur:
        return [_commission(row) for row in await cur.fetchall()]


async def earned(conn: aiosqlite.Connection, referrer_id: int) -> int:
    """Commission the referrer holds now (sum of their referral ledger rows), minor."""
    row = await _one(
        conn, "SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE user_id = ? AND kind = 'referral'",
        (referrer_id,),
    )
    return int(row[0])


async def totals(conn: aiosqlite.Connection, since: datetime | None = None) -> ProgramTotals:
    """Counts and money of the whole program, since a moment (None: from the start)."""
    key = _since(since)
    people = await _one(conn, "SELECT COUNT(*), COALESCE(SUM(created_at >= ?), 0) FROM referrals", (key,))
    money = await _one(
        conn, "SELECT COALESCE(SUM(amount > 0), 0), COALESCE(SUM(amount), 0) FROM ledger "
        "WHERE kind = 'referral' AND created_at >= ?", (key,),
    )
    return ProgramTotals(referred=int(people[0]), referred_since=int(people[1]), commissions=int(money[0]),
                         paid=int(money[1]))
