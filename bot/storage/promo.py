"""Promo code tables: the codes admins make, who redeemed which, and failed attempts per customer.

Callers run writes inside `db.transaction()`; the rules (expiry, limits, exactly once) live in
bot/domain/promo.py. The schema backs them up: uses never exceed max_uses (CHECK), and one
customer redeems one code once (primary key, plus a unique index on the ledger).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class PromoCode:
    """One code as stored; amount in minor units."""

    id: int
    code: str
    amount: int
    max_uses: int | None
    uses: int
    expires_on: date | None  # the last day it works (UTC)
    active: bool
    created_by: int | None
    created_at: datetime

    @property
    def uses_left(self) -> int | None:
        """Redemptions still possible (None: no limit)."""
        return None if self.max_uses is None else max(self.max_uses - self.uses, 0)


@dataclass(frozen=True)
class Attempts:
    """A customer's failed redemptions since `window_start`."""

    failures: int
    window_start: datetime


def _code(row: aiosqlite.Row) -> PromoCode:
    return PromoCode(
        id=row["id"], code=row["code"], amount=row["amount"], max_uses=row["max_uses"], uses=row["uses"],
        expires_on=date.fromisoformat(row["expires_on"]) if row["expires_on"] else None,
        active=bool(row["active"]), created_by=row["created_by"], created_at=parse_time(row["created_at"]),
    )


def _since(moment: datetime | None) -> str:
    """A moment as stored timestamps are written ("" when None: before everything)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


async def insert(
    conn: aiosqlite.Connection, code: str, amount: int, *, max_uses: int | None, expires_on: date | None,
    created_by: int | None,
) -> PromoCode:
    """Create a code; IntegrityError when the code exists already."""
    async with conn.execute(
        "INSERT INTO promo_codes(code, amount, max_uses, expires_on, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        (code, amount, max_uses, expires_on.isoformat() if expires_on else None, created_by, now_text()),
    ) as cur:
        return _code(await cur.fetchone())


async def get(conn: aiosqlite.Connection, code: str) -> PromoCode | None:
    """One code, exactly as stored (callers pass it upper-cased)."""
    async with conn.execute("SELECT * FROM promo_codes WHERE code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return _code(row) if row else None


async def newest(conn: aiosqlite.Connection, limit: int = 50) -> list[PromoCode]:
    """Codes, newest first."""
    async with conn.execute("SELECT * FROM promo_codes ORDER BY id DESC LIMIT ?", (limit,)) as cur:
        return [_code(row) for row in await cur.fetchall()]


async def count(conn: aiosqlite.Connection) -> int:
    """How many codes exist."""
    async with conn.execute("SELECT COUNT(*) FROM promo_codes") as cur:
        return int((await cur.fetchone())[0])


async def deactivate(conn: aiosqlite.Connection, code: str) -> bool:
    """Switch a code off; False when no such code is on."""
    cur = await conn.execute("UPDATE promo_codes SET active = 0 WHERE code = ? AND active = 1", (code,))
    return cur.rowcount > 0


async def take_use(conn: aiosqlite.Connection, promo_id: int) -> bool:
    """Count one redemption; False when none is left (the WHERE makes it safe to race)."""
    cur = await conn.execute(
        "UPDATE promo_codes SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)",
        (promo_id,),
    )
    return cur.rowcount > 0


async def redeemed(conn: aiosqlite.Connection, promo_id: int, user_id: int) -> bool:
    """Whether the customer redeemed this code already."""
    async with conn.execute(
        "SELECT 1 FROM promo_redemptions WHERE promo_id = ? AND user_id = ?", (promo_id, user_id)
    ) as cur:
        return await cur.fetchone() is not None


async def record_redemption(
    conn: aiosqlite.Connection, promo_id: int, user_id: int, amount: int, ledger_id: int
) -> None:
    """Remember who redeemed the code and the ledger row that credited them."""
    await conn.execute(
        "INSERT INTO promo_redemptions(promo_id, user_id, amount, ledger_id, created_at) VALUES (?, ?, ?, ?, ?)",
        (promo_id, user_id, amount, ledger_id, now_text()),
    )


async def redemption_totals(
    conn: aiosqlite.Connection, *, user_id: int | None = None, since: datetime | None = None
) -> tuple[int, int]:
    """(redemptions, minor units credited) of everyone or one customer, since a moment (None: ever)."""
    async with conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM promo_redemptions "
        "WHERE (? IS NULL OR user_id = ?) AND created_at >= ?",
        (user_id, user_id, _since(since)),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]), int(row[1])


# --- failed attempts -----------------------------------------------------------------------------

async def attempts(conn: aiosqlite.Connection, user_id: int) -> Attempts | None:
    """The customer's failed attempts in their current window, if any were recorded."""
    async with conn.execute(
        "SELECT failures, window_start FROM promo_attempts WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return Attempts(row["failures"], parse_time(row["window_start"])) if row else None


async def set_attempts(conn: aiosqlite.Connection, user_id: int, failures: int, window_start: datetime) -> None:
    """Store the customer's failure count and when its window started."""
    await conn.execute(
        "INSERT INTO promo_attempts(user_id, failures, window_start) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start",
        (user_id, failures, window_start.isoformat(timespec="seconds")),
    )


async def clear_attempts(conn: aiosqlite.Connection, user_id: int) -> None:
    """Forget the customer's failures (after a success)."""
    await conn.execute("DELETE FROM promo_attempts WHERE user_id = ?", (user_id,))
