"""The wallet ledger: one row per balance change. A balance is the sum of its rows, nothing else.

`add` is the one way a row enters the ledger: it also moves the wallet's `balances` row in the
same transaction, so `balance()` reads one row (constant time however long the history) while the
ledger stays the truth; `mismatched_balances` proves SUM(ledger) = balances for every wallet.

The shop currency is the panels' currency: the shop only adds a markup, there is no exchange
rate anywhere, so amounts here and panel rates are in the same unit (minor = 1e-6 of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from bot.storage.clock import now_text, parse_time


class LedgerKind(StrEnum):
    """Why a balance changed."""

    CREDIT = "credit"
    ORDER_CHARGE = "order_charge"
    REFUND = "refund"
    ADMIN_ADJUSTMENT = "admin_adjustment"
    TOPUP = "topup"
    REFERRAL = "referral"
    PROMO = "promo"
    TOPUP_BONUS = "topup_bonus"  # TOPUP_BONUS: extra credit on a top-up, its own row beside the top-up's


@dataclass(frozen=True)
class LedgerEntry:
    """One balance change (amount in signed minor units)."""

    id: int
    user_id: int
    amount: int
    kind: LedgerKind
    reference: str | None
    note: str | None
    actor: int | None
    created_at: datetime


def order_reference(order_id: int) -> str:
    """The ledger reference of an order's charge and refunds."""
    return f"order:{order_id}"


def _entry(row: aiosqlite.Row) -> LedgerEntry:
    return LedgerEntry(
        id=row["id"], user_id=row["user_id"], amount=row["amount"], kind=LedgerKind(row["kind"]),
        reference=row["reference"], note=row["note"], actor=row["actor"],
        created_at=parse_time(row["created_at"]),
    )


async def add(
    conn: aiosqlite.Connection, user_id: int, amount: int, kind: LedgerKind, *,
    reference: str | None = None, note: str | None = None, actor: int | None = None,
) -> int:
    """Append one balance change and return its id; callers check limits inside their transaction."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("ledger amounts are integer minor units")
    if amount == 0:
        raise ValueError("a ledger row must change the balance")
    cur = await conn.execute(
        "INSERT INTO ledger(user_id, amount, kind, reference, note, actor, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (user_id, amount, LedgerKind(kind).value, reference, note, actor, now_text()),
    )
    entry_id = cur.lastrowid
    await conn.execute(
        "INSERT INTO balances(user_id, amount) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET amount = balances.amount + excluded.amount",
        (user_id, amount),
    )
    return entry_id


BALANCE_SQL = "SELECT amount FROM balances WHERE user_id = ?"


async def balance(conn: aiosqlite.Connection, user_id: int) -> int:
    """The user's balance: their balances row (kept equal to SUM of their ledger by `add`); 0 if none."""
    async with conn.execute(BALANCE_SQL, (user_id,)) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row is not None else 0


@dataclass(frozen=True)
class BalanceMismatch:
    """A wallet whose balances row disagrees with the sum of its ledger rows."""

    user_id: int
    ledger_sum: int
    balance: int


async def mismatched_balances(conn: aiosqlite.Connection) -> list[BalanceMismatch]:
    """Every wallet where SUM(ledger) != balances.amount (a missing row counts as 0), by user id."""
    async with conn.execute(
        "SELECT user_id, SUM(in_ledger), SUM(in_balance) FROM ("
        " SELECT user_id, amount AS in_ledger, 0 AS in_balance FROM ledger"
        " UNION ALL SELECT user_id, 0, amount FROM balances"
        ") AS both_sides GROUP BY user_id HAVING SUM(in_ledger) <> SUM(in_balance) ORDER BY user_id"
    ) as cur:
        return [BalanceMismatch(int(r[0]), int(r[1]), int(r[2])) for r in await cur.fetchall()]


async def history(
    conn: aiosqlite.Connection, user_id: int, limit: int = 20, offset: int = 0
) -> list[LedgerEntry]:
    """The user's balance changes, newest first."""
    async with conn.execute(
        "SELECT * FROM ledger WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (user_id, limit, offset),
    ) as cur:
        return [_entry(row) for row in await cur.fetchall()]


async def by_reference(conn: aiosqlite.Connection, reference: str) -> list[LedgerEntry]:
    """Every row about one reference (e.g. an order's charge and refunds), oldest first."""
    async with conn.execute(
        "SELECT * FROM ledger WHERE reference = ? ORDER BY id", (reference,)
    ) as cur:
        return [_entry(row) for row in await cur.fetchall()]


async def exists(conn: aiosqlite.Connection, kind: LedgerKind, reference: str) -> bool:
    """Whether a row of this kind already records this reference (e.g. a payment already credited)."""
    async with conn.execute(
        "SELECT 1 FROM ledger WHERE kind = ? AND reference = ? LIMIT 1", (LedgerKind(kind).value, reference)
    ) as cur:
        return await cur.fetchone() is not None
