"""Stars top-ups as stored: the invoices the bot issued and the payments Telegram reported.

Rules (what to check, when to credit) live in bot/domain/payments.py; these functions only read
and write, inside the caller's transaction for writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import aiosqlite

from bot.storage.clock import now_text, parse_time


class InvoiceStatus(StrEnum):
    ISSUED = "issued"
    PAID = "paid"


class PaymentStatus(StrEnum):
    CREDITED = "credited"    # the wallet got the invoice's amount
    UNMATCHED = "unmatched"  # paid, but not for an invoice of this customer at this price: nothing credited
    REFUNDING = "refunding"  # wallet debited, Telegram's refund asked for but not confirmed
    REFUNDED = "refunded"


@dataclass(frozen=True)
class Invoice:
    """A Stars invoice the bot issued."""

    id: int
    payload: str
    user_id: int
    stars: int
    amount: int
    rate: Decimal
    status: InvoiceStatus
    created_at: datetime
    paid_at: datetime | None


@dataclass(frozen=True)
class Payment:
    """A Stars payment Telegram reported, by its charge id."""

    charge_id: str
    invoice_id: int | None
    user_id: int
    payload: str
    stars: int
    amount: int
    status: PaymentStatus
    notified: bool
    created_at: datetime
    refund_debit: int | None
    refunded_by: int | None
    refunded_at: datetime | None


def _invoice(row: aiosqlite.Row) -> Invoice:
    return Invoice(
        id=row["id"], payload=row["payload"], user_id=row["user_id"], stars=row["stars"], amount=row["amount"],
        rate=Decimal(row["rate"]), status=InvoiceStatus(row["status"]), created_at=parse_time(row["created_at"]),
        paid_at=parse_time(row["paid_at"]),
    )


def _payment(row: aiosqlite.Row) -> Payment:
    return Payment(
        charge_id=row["charge_id"], invoice_id=row["invoice_id"], user_id=row["user_id"], payload=row["payload"],
        stars=row["stars"], amount=row["amount"], status=PaymentStatus(row["status"]),
        notified=bool(row["notified"]), created_at=parse_time(row["created_at"]),
        refund_debit=row["refund_debit"], refunded_by=row["refunded_by"], refunded_at=parse_time(row["refunded_at"]),
    )


async def insert_invoice(conn: aiosqlite.Connection, *, payload: str, user_id: int, stars: int, amount: int,
                         rate: Decimal) -> Invoice:
    """Record an invoice about to be sent."""
    async with conn.execute(
        "INSERT INTO star_invoices(payload, user_id, stars, amount, rate, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (payload, user_id, stars, amount, str(rate), InvoiceStatus.ISSUED.value, now_text()),
    ) as cur:
        return _invoice(await cur.fetchone())


async def invoice_by_payload(conn: aiosqlite.Connection, payload: str) -> Invoice | None:
    """The invoice carrying this payload, if the bot issued one."""
    async with conn.execute("SELECT * FROM star_invoices WHERE payload = ?", (payload,)) as cur:
        row = await cur.fetchone()
    return _invoice(row) if row else None


async def mark_invoice_paid(conn: aiosqlite.Connection, invoice_id: int) -> None:
    """The invoice's payment was recorded."""
    await conn.execute(
        "UPDATE star_invoices SET status = ?, paid_at = ? WHERE id = ?",
        (InvoiceStatus.PAID.value, now_text(), invoice_id),
    )


async def payment(conn: aiosqlite.Connection, charge_id: str) -> Payment | None:
    """One payment by Telegram's charge id."""
    async with conn.execute("SELECT * FROM star_payments WHERE charge_id = ?", (charge_id,)) as cur:
        row = await cur.fetchone()
    return _payment(row) if row else None


async def insert_payment(conn: aiosqlite.Connection, *, charge_id: str, invoice_id: int | None, user_id: int,
                         payload: str, stars: int, amount: int, status: PaymentStatus) -> Payment:
    """Record a payment; sqlite3.IntegrityError when this charge id (or a paid invoice) is already recorded."""
    async with conn.execute(
        "INSERT INTO star_payments(charge_id, invoice_id, user_id, payload, stars, amount, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (charge_id, invoice_id, user_id, payload, stars, amount, PaymentStatus(status).value, now_text()),
    ) as cur:
        return _payment(await cur.fetchone())


async def set_status(conn: aiosqlite.Connection, charge_id: str, status: PaymentStatus, *,
                     expected: PaymentStatus) -> bool:
    """Move a payment from `expected` to `status`; False when it was not in `expected` (someone was first)."""
    cur = await conn.execute(
        "UPDATE star_payments SET status = ? WHERE charge_id = ? AND status = ?",
        (PaymentStatus(status).value, charge_id, PaymentStatus(expected).value),
    )
    return cur.rowcount > 0


async def start_refund(conn: aiosqlite.Connection, charge_id: str, *, expected: PaymentStatus, debit: int,
                       admin_id: int) -> bool:
    """Mark a payment `refunding` with what was debited and by whom; False when it was not in `expected`."""
    cur = await conn.execute(
        "UPDATE star_payments SET status = ?, refund_debit = ?, refunded_by = ? "
        "WHERE charge_id = ? AND status = ?",
        (PaymentStatus.REFUNDING.value, debit, admin_id, charge_id, PaymentStatus(expected).value),
    )
    return cur.rowcount > 0


async def finish_refund(conn: aiosqlite.Connection, charge_id: str) -> bool:
    """Telegram confirmed the refund: `refunding` → `refunded`."""
    cur = await conn.execute(
        "UPDATE star_payments SET status = ?, refunded_at = ? WHERE charge_id = ? AND status = ?",
        (PaymentStatus.REFUNDED.value, now_text(), charge_id, PaymentStatus.REFUNDING.value),
    )
    return cur.rowcount > 0


async def undo_refund(conn: aiosqlite.Connection, charge_id: str, status: PaymentStatus) -> bool:
    """Telegram refused the refund: back from `refunding` to `status`, refund fields cleared."""
    cur = await conn.execute(
        "UPDATE star_payments SET status = ?, refund_debit = NULL, refunded_by = NULL "
        "WHERE charge_id = ? AND status = ?",
        (PaymentStatus(status).value, charge_id, PaymentStatus.REFUNDING.value),
    )
    return cur.rowcount > 0


async def mark_notified(conn: aiosqlite.Connection, charge_id: str) -> None:
    """The customer was told about this payment (a redelivered update is then silent)."""
    await conn.execute("UPDATE star_payments SET notified = 1 WHERE charge_id = ?", (charge_id,))


async def user_payments(conn: aiosqlite.Connection, user_id: int, limit: int = 20) -> list[Payment]:
    """A customer's payments, newest first."""
    async with conn.execute(
        "SELECT * FROM star_payments WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
        (user_id, limit),
    ) as cur:
        return [_payment(row) for row in await cur.fetchall()]


async def swept(conn: aiosqlite.Connection) -> int:
    """How many of the bot's Star transactions (chronological) the sweep has already read."""
    async with conn.execute("SELECT scanned FROM star_sweep WHERE id = 1") as cur:
        row = await cur.fetchone()
    return int(row["scanned"]) if row else 0


async def set_swept(conn: aiosqlite.Connection, scanned: int) -> None:
    """Remember how far the sweep has read."""
    await conn.execute(
        "INSERT INTO star_sweep(id, scanned, swept_at) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET scanned = excluded.scanned, swept_at = excluded.swept_at",
        (scanned, now_text()),
    )


async def credited_since(conn: aiosqlite.Connection, since: str) -> tuple[int, int, int]:
    """(count, credited minor units, bonus minor units) of Stars payments credited since `since`."""
    async with conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(p.amount), 0) FROM star_payments p "
        "WHERE p.status IN ('credited', 'refunding', 'refunded') AND p.created_at >= ?", (since,),
    ) as cur:
        count, amount = await cur.fetchone()
    async with conn.execute(
        "SELECT COALESCE(SUM(l.amount), 0) FROM ledger l WHERE l.kind = 'topup_bonus' "
        "AND l.reference LIKE 'stars:%' AND l.created_at >= ?", (since,),
    ) as cur:
        (extra,) = await cur.fetchone()
    return int(count), int(amount), int(extra)
