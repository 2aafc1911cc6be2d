"""Manual transfer methods edited from the admin group (table manual_methods, migration 0013)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text


@dataclass(frozen=True)
class StoredMethod:
    name: str
    instructions: str
    currency: str
    rate: Decimal
    min: Decimal
    max: Decimal
    active: bool


def _row(row: aiosqlite.Row) -> StoredMethod:
    return StoredMethod(name=row["name"], instructions=row["instructions"], currency=row["currency"],
                        rate=Decimal(row["rate"]), min=Decimal(row["min_amount"]), max=Decimal(row["max_amount"]),
                        active=bool(row["active"]))


async def all_methods(conn: aiosqlite.Connection) -> list[StoredMethod]:
    async with conn.execute("SELECT * FROM manual_methods ORDER BY id") as cur:
        return [_row(row) for row in await cur.fetchall()]


async def upsert(conn: aiosqlite.Connection, method: StoredMethod, admin_id: int) -> None:
    await conn.execute(
        "INSERT INTO manual_methods(name, name_key, instructions, currency, rate, min_amount, max_amount, active, "
        "updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(name_key) DO UPDATE SET name = excluded.name, instructions = excluded.instructions, "
        "currency = excluded.currency, rate = excluded.rate, min_amount = excluded.min_amount, "
        "max_amount = excluded.max_amount, active = excluded.active, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at",
        (method.name, method.name.lower(), method.instructions, method.currency, str(method.rate), str(method.min),
         str(method.max), int(method.active), admin_id, now_text()),
    )
