"""/export: a customer's orders and ledger as CSV files — their own rows only, exact amounts.

Cells that a spreadsheet would run as a formula (text from customers or panels starting with = + - @)
are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from bot.money import from_minor
from bot.storage import ledger, orders
from bot.storage.db import Database

PAGE = 500
ORDER_COLUMNS = ("order_id", "created_at", "service", "link", "quantity", "price", "currency", "status",
                 "remains", "refunded")
LEDGER_COLUMNS = ("entry_id", "created_at", "kind", "amount", "currency", "reference", "note")


def exact(minor: int | None) -> str:
    """Minor units as an exact decimal ("1.75", "-0.000105"); empty for None."""
    return "" if minor is None else format(from_minor(minor).normalize(), "f")


def safe(text: str | None) -> str:
    """Text that a spreadsheet shows as text, never runs."""
    value = text or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # with BOM: spreadsheets then read UTF-8 names right


async def orders_csv(db: Database, user_id: int, currency: str) -> bytes:
    """Every order of the customer, oldest first."""
    rows = []
    offset = 0
    while True:
        page = await orders.for_user(db.conn, user_id, offset=offset, limit=PAGE)
        rows += [(o.id, o.created_at.isoformat(), safe(o.service_name), safe(o.link), o.quantity, exact(o.price),
                  currency, o.status, "" if o.remains is None else o.remains, exact(o.refunded)) for o in page.items]
        offset += PAGE
        if offset >= page.total or not page.items:
            break
    return _csv(ORDER_COLUMNS, reversed(rows))


async def ledger_csv(db: Database, user_id: int, currency: str) -> bytes:
    """Every balance change of the customer, oldest first."""
    rows = []
    offset = 0
    while True:
        entries = await ledger.history(db.conn, user_id, limit=PAGE, offset=offset)
        rows += [(e.id, e.created_at.isoformat(), e.kind.value, exact(e.amount), currency, safe(e.reference),
                  safe(e.note)) for e in entries]
        offset += PAGE
        if len(entries) < PAGE:
            break
    return _csv(LEDGER_COLUMNS, reversed(rows))
