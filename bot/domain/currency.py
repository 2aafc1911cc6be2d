"""The shop's own currency: each panel's currency (from its `balance` answer) and exchange rates.

A customer price is panel rate × exchange rate × (1 + markup%), exact (pricing.py). The rate of a
currency is `/rate <CUR> <rate>` (admin) or EXCHANGE_RATES (environment; an admin's /rate wins);
SHOP_CURRENCY itself is 1. A panel whose currency is known, differs from SHOP_CURRENCY and has no
rate is *unpriced*: its services are hidden from customers (storage view `unpriced_panels`) and the
admins are told once — the shop never sells at a silent 1:1. A panel whose currency was never read
is taken to sell in SHOP_CURRENCY (how the shop worked before currencies). A rate change reaches
new cards only: a card's quote is confirmed as shown (ordering.place_order, PriceChanged).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.domain.errors import DomainError
from bot.panel.models import Balance
from bot.storage import currency as store
from bot.storage.db import Database

_CODE = re.compile(r"^[A-Z]{3,8}$")
MAX_RATE = Decimal(10) ** 9
MAX_PLACES = 12


class BadRate(DomainError):
    """Not a currency code or not a positive rate, or the shop's own currency."""


def parse_currency(text: str) -> str:
    code = text.strip().upper()
    if not code.isascii() or not _CODE.fullmatch(code):
        raise BadRate(f"not a currency code: {text[:20]!r}")
    return code


def parse_rate(text: str) -> Decimal:
    """A positive exact rate ("92.5", "92,5"); BadRate otherwise."""
    cleaned = text.strip().replace(",", ".")
    try:
        if not cleaned.isascii() or not re.fullmatch(r"\d+(\.\d+)?", cleaned):
            raise InvalidOperation
        rate = Decimal(cleaned)
    except InvalidOperation:
        raise BadRate(f"not a rate: {text[:20]!r}") from None
    if not 0 < rate <= MAX_RATE or -rate.as_tuple().exponent > MAX_PLACES:
        raise BadRate(f"rate out of range: {text[:20]!r}")
    return rate


async def start(db: Database, shop_currency: str, env_rates: dict[str, Decimal]) -> None:
    """At start-up: record SHOP_CURRENCY and EXCHANGE_RATES (an admin's /rate rows stay)."""
    async with db.transaction() as conn:
        await store.set_shop_currency(conn, shop_currency.upper())
        await store.put_env_rates(conn, {c.upper(): r for c, r in env_rates.items() if c.upper() != shop_currency.upper()})


async def set_rate(db: Database, currency: str, rate: Decimal | None, *, actor: int, shop_currency: str) -> None:
    """/rate <CUR> <rate|off>."""
    if currency == shop_currency.upper():
        raise BadRate("the shop's own currency is always 1")
    async with db.transaction() as conn:
        await store.put_admin_rate(conn, currency, rate, actor)
        if rate is None:
            await store.reset_alerts_for(conn, currency)


async def rates(db: Database) -> list[store.Rate]:
    return await store.rates(db.conn)


async def note_balance(db: Database, panel: str, balance: Balance) -> None:
    """A balance answer names the panel's currency: remember it."""
    if balance.currency:
        code = balance.currency.strip().upper()[:8]
        if code:
            async with db.transaction() as conn:
                await store.note_panel_currency(conn, panel, code)


async def newly_unpriced(db: Database) -> list[tuple[str, str]]:
    """(panel, currency) of panels that lost their price since the admins were last told (each once)."""
    async with db.transaction() as conn:
        return await store.unpriced_unalerted(conn)


async def conversions(db: Database) -> dict[str, tuple[str, Decimal | None]]:
    """panel -> (currency, exchange rate or None when missing), for panels whose currency is known."""
    return await store.conversions(db.conn)


async def exchange_rate(db: Database, panel: str) -> Decimal | None:
    """Shop units per unit of the panel's currency: 1 when unknown or the shop's own; None when missing."""
    found = (await store.conversions(db.conn)).get(panel)
    return Decimal(1) if found is None else found[1]


async def panel_currency(db: Database, panel: str) -> str | None:
    found = (await store.conversions(db.conn)).get(panel)
    return None if found is None else found[0]
