"""Exchange rates, each panel's currency, and the conversion a panel's prices get (SQL of 0016)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text

SHOP, ENV, ADMIN = "shop", "env", "admin"


@dataclass(frozen=True)
class Rate:
    currency: str
    rate: Decimal
    source: str


async def set_shop_currency(conn: aiosqlite.Connection, currency: str) -> None:
    """The one 'shop' row (rate 1) names SHOP_CURRENCY; an older one is replaced."""
    await conn.execute("DELETE FROM exchange_rates WHERE source = ? OR currency = ?", (SHOP, currency))
    await conn.execute("INSERT INTO exchange_rates (currency, rate, source, updated_at) VALUES (?, '1', ?, ?)",
                       (currency, SHOP, now_text()))


async def put_env_rates(conn: aiosqlite.Connection, rates: dict[str, Decimal]) -> None:
    """EXCHANGE_RATES: replace the 'env' rows; an admin's /rate of the same currency is kept."""
    await conn.execute("DELETE FROM exchange_rates WHERE source = ?", (ENV,))
    for currency, rate in rates.items():
        await conn.execute(
            "INSERT INTO exchange_rates (currency, rate, source, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (currency) DO NOTHING", (currency, str(rate), ENV, now_text()))


async def put_admin_rate(conn: aiosqlite.Connection, currency: str, rate: Decimal | None, actor: int) -> None:
    """/rate: set (or with None drop) one currency's rate."""
    await conn.execute("DELETE FROM exchange_rates WHERE currency = ? AND source <> ?", (currency, SHOP))
    if rate is not None:
        await conn.execute(
            "INSERT INTO exchange_rates (currency, rate, source, actor, updated_at) VALUES (?, ?, ?, ?, ?)",
            (currency, str(rate), ADMIN, actor, now_text()))


async def rates(conn: aiosqlite.Connection) -> list[Rate]:
    async with conn.execute("SELECT currency, rate, source FROM exchange_rates ORDER BY currency") as cur:
        return [Rate(row[0], Decimal(row[1]), row[2]) for row in await cur.fetchall()]


async def note_panel_currency(conn: aiosqlite.Connection, panel: str, currency: str) -> bool:
    """Record a panel's currency; True when it changed (or was new)."""
    async with conn.execute("SELECT currency FROM panel_currencies WHERE panel = ?", (panel,)) as cur:
        row = await cur.fetchone()
    if row is not None and row[0] == currency:
        return False
    await conn.execute(
        "INSERT INTO panel_currencies (panel, currency, seen_at) VALUES (?, ?, ?) ON CONFLICT (panel) DO UPDATE "
        "SET currency = excluded.currency, seen_at = excluded.seen_at, missing_alerted = 0",
        (panel, currency, now_text()))
    return True


async def conversions(conn: aiosqlite.Connection) -> dict[str, tuple[str, Decimal | None]]:
    """panel -> (its currency, shop units per unit of it, None when missing) for panels whose currency is known.

    A panel in the shop's own currency (or any panel while no shop currency is recorded) converts at 1.
    """
    async with conn.execute(
        "SELECT p.panel, p.currency, "
        "(SELECT currency FROM exchange_rates WHERE source = 'shop'), "
        "(SELECT rate FROM exchange_rates r WHERE r.currency = p.currency) FROM panel_currencies p"
    ) as cur:
        found = {}
        for panel, currency, shop, rate in await cur.fetchall():
            if shop is None or shop == currency:
                found[panel] = (currency, Decimal(1))
            else:
                found[panel] = (currency, Decimal(rate) if rate is not None else None)
        return found


async def unpriced_unalerted(conn: aiosqlite.Connection) -> list[tuple[str, str]]:
    """(panel, currency) of panels without a rate whose admins were not told yet; marks them told."""
    async with conn.execute(
        "SELECT u.panel, u.currency FROM unpriced_panels u JOIN panel_currencies p ON p.panel = u.panel "
        "WHERE p.missing_alerted = 0") as cur:
        found = [(row[0], row[1]) for row in await cur.fetchall()]
    for panel, _ in found:
        await conn.execute("UPDATE panel_currencies SET missing_alerted = 1 WHERE panel = ?", (panel,))
    return found


async def reset_alerts_for(conn: aiosqlite.Connection, currency: str) -> None:
    """A rate was dropped: tell the admins again when its panels go unpriced."""
    await conn.execute("UPDATE panel_currencies SET missing_alerted = 0 WHERE currency = ?", (currency,))
