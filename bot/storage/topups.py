"""Top-ups of Crypto Pay, card and manual methods as stored (table `topups`, migration 0012).

Rules live in bot/domain/topups.py; these functions only read and write, writes inside the
caller's transaction. Status moves are conditional UPDATEs (`WHERE status IN (...)`) returning
whether this call made the move, which is what makes crediting at-most-once in the database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import aiosqlite

from bot.storage.clock import now_text, parse_time


class TopupStatus(StrEnum):
    CREATING = "creating"    # written, the provider not yet asked
    PENDING = "pending"      # the customer can pay
    RECEIPT = "receipt"      # manual: receipt received, the admins decide
    CREDITED = "credited"
    EXPIRED = "expired"
    REJECTED = "rejected"
    FAILED = "failed"        # the provider refused to create it
    REFUNDING = "refunding"  # wallet debited, the provider's refund asked but not confirmed
    REFUNDED = "refunded"


OPEN = (TopupStatus.CREATING, TopupStatus.PENDING, TopupStatus.RECEIPT)


@dataclass(frozen=True)
class Topup:
    id: int
    method: str
    user_id: int
    reference: str
    external_id: str | None
    amount: int
    pay_amount: Decimal
    pay_currency: str
    rate: Decimal
    status: TopupStatus
    credited: int | None
    bonus: int | None
    pay_url: str | None
    paid_asset: str | None
    paid_amount: Decimal | None
    receipt_chat: int | None
    receipt_msg: int | None
    card_chat: int | None
    card_msg: int | None
    decided_by: int | None
    note: str | None
    notified: bool
    created_at: datetime
    expires_at: datetime | None
    settled_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def _topup(row: aiosqlite.Row) -> Topup:
    return Topup(
        id=row["id"], method=row["method"], user_id=row["user_id"], reference=row["reference"],
        external_id=row["external_id"], amount=row["amount"], pay_amount=Decimal(row["pay_amount"]),
        pay_currency=row["pay_currency"], rate=Decimal(row["rate"]), status=TopupStatus(row["status"]),
        credited=row["credited"], bonus=row["bonus"], pay_url=row["pay_url"],
        paid_asset=row["paid_asset"], paid_amount=Decimal(row["paid_amount"]) if row["paid_amount"] else None,
        receipt_chat=row["receipt_chat"],
        receipt_msg=row["receipt_msg"], card_chat=row["card_chat"], card_msg=row["card_msg"],
        decided_by=row["decided_by"], note=row["note"], notified=bool(row["notified"]),
        created_at=parse_time(row["created_at"]),
        expires_at=parse_time(row["expires_at"]), settled_at=parse_time(row["settled_at"]),
    )


def _statuses(statuses: Collection[TopupStatus]) -> tuple[str, list[str]]:
    values = [TopupStatus(s).value for s in statuses]
    return ",".join("?" * len(values)), values


async def insert(conn: aiosqlite.Connection, *, method: str, user_id: int, reference: str, amount: int,
                 pay_amount: Decimal, pay_currency: str, rate: Decimal, status: TopupStatus,
                 expires_at: str | None) -> Topup:
    """Record a top-up before the provider or the customer is asked anything."""
    async with conn.execute(
        "INSERT INTO topups(method, user_id, reference, amount, pay_amount, pay_currency, rate, status, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (method, user_id, reference, amount, str(pay_amount), pay_currency, str(rate), TopupStatus(status).value,
         now_text(), expires_at),
    ) as cur:
        return _topup(await cur.fetchone())


async def get(conn: aiosqlite.Connection, topup_id: int) -> Topup | None:
    async with conn.execute("SELECT * FROM topups WHERE id = ?", (topup_id,)) as cur:
        row = await cur.fetchone()
    return _topup(row) if row else None


async def by_reference(conn: aiosqlite.Connection, reference: str) -> Topup | None:
    async with conn.execute("SELECT * FROM topups WHERE reference = ?", (reference,)) as cur:
        row = await cur.fetchone()
    return _topup(row) if row else None


async def by_external(conn: aiosqlite.Connection, method: str, external_id: str) -> Topup | None:
    async with conn.execute("SELECT * FROM topups WHERE method = ? AND external_id = ?",
                            (method, external_id)) as cur:
        row = await cur.fetchone()
    return _topup(row) if row else None


async def in_status(conn: aiosqlite.Connection, statuses: Collection[TopupStatus], *, method: str | None = None,
                    method_prefix: str | None = None, user_id: int | None = None,
                    limit: int = 1000) -> list[Topup]:
    """Top-ups in these statuses (oldest first), optionally of one method (or methods starting with a prefix)."""
    marks, values = _statuses(statuses)
    sql = f"SELECT * FROM topups WHERE status IN ({marks})"  # noqa: S608 - placeholders only
    params: list[object] = [*values]
    if method is not None:
        sql += " AND method = ?"
        params.append(method)
    if method_prefix is not None:
        sql += " AND method LIKE ?"
        params.append(method_prefix.replace("%", "").replace("_", "\\_") + "%")
        sql += " ESCAPE '\\'"
    if user_id is not None:
        sql += " AND user_id = ?"
        params.append(user_id)
    sql += " ORDER BY id LIMIT ?"
    params.append(limit)
    async with conn.execute(sql, params) as cur:
        return [_topup(row) for row in await cur.fetchall()]


async def user_topups(conn: aiosqlite.Connection, user_id: int, limit: int = 10) -> list[Topup]:
    """A customer's top-ups, newest first."""
    async with conn.execute("SELECT * FROM topups WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                            (user_id, limit)) as cur:
        return [_topup(row) for row in await cur.fetchall()]


async def move(conn: aiosqlite.Connection, topup_id: int, status: TopupStatus, *,
               expected: Collection[TopupStatus], **fields: object) -> bool:
    """Set status (and `fields`) when the row is in one of `expected`; False when someone else moved it first."""
    allowed = {"external_id", "pay_url", "paid_asset", "paid_amount", "credited", "bonus", "receipt_chat", "receipt_msg", "card_chat",
               "card_msg", "decided_by", "note", "settled_at"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not a topups column: {sorted(unknown)}")
    sets = ", ".join(["status = ?", *(f"{name} = ?" for name in fields)])
    marks, values = _statuses(expected)
    cur = await conn.execute(
        f"UPDATE topups SET {sets} WHERE id = ? AND status IN ({marks})",  # noqa: S608 - fixed column names
        (TopupStatus(status).value, *fields.values(), topup_id, *values),
    )
    return cur.rowcount > 0


async def mark_notified(conn: aiosqlite.Connection, topup_id: int) -> None:
    """The customer was told of this top-up's credit."""
    await conn.execute("UPDATE topups SET notified = 1 WHERE id = ?", (topup_id,))


async def untold(conn: aiosqlite.Connection, since: str) -> list[Topup]:
    """Credited top-ups settled since `since` whose customer was never told (a stop between credit and notice)."""
    async with conn.execute(
        "SELECT * FROM topups WHERE status = 'credited' AND notified = 0 AND settled_at >= ? ORDER BY id", (since,),
    ) as cur:
        return [_topup(row) for row in await cur.fetchall()]


async def set_card(conn: aiosqlite.Connection, topup_id: int, chat_id: int, message_id: int) -> None:
    """Where the admin card of a manual top-up was posted."""
    await conn.execute("UPDATE topups SET card_chat = ?, card_msg = ? WHERE id = ?", (chat_id, message_id, topup_id))


async def expired_open(conn: aiosqlite.Connection, now: str, statuses: Collection[TopupStatus]) -> list[Topup]:
    """Open top-ups whose expiry has passed."""
    marks, values = _statuses(statuses)
    async with conn.execute(
        f"SELECT * FROM topups WHERE status IN ({marks}) AND expires_at IS NOT NULL AND expires_at <= ? "  # noqa: S608
        "ORDER BY id", (*values, now),
    ) as cur:
        return [_topup(row) for row in await cur.fetchall()]


async def credited_since(conn: aiosqlite.Connection, since: str) -> list[tuple[str, int, int, int]]:
    """(method, count, credited, bonus) of top-ups credited since `since`."""
    async with conn.execute(
        "SELECT method, COUNT(*), COALESCE(SUM(credited), 0), COALESCE(SUM(bonus), 0) FROM topups "
        "WHERE status IN ('credited', 'refunding', 'refunded') AND settled_at >= ? GROUP BY method ORDER BY method",
        (since,),
    ) as cur:
        return [(row[0], int(row[1]), int(row[2]), int(row[3])) for row in await cur.fetchall()]
