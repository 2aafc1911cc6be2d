"""Read-only queries the chat, the sync and admins need (no rules here, only shapes)."""

from __future__ import annotations

from bot.numbers import parse_whole
from bot.storage import orders, refills, users
from bot.storage.db import Database
from bot.storage.orders import Order
from bot.storage.paging import Page
from bot.storage.refills import Refill
from bot.storage.users import User


async def user_orders(db: Database, user_id: int, *, offset: int = 0, limit: int = 10) -> Page[Order]:
    """A customer's orders, newest first, one page with the total."""
    return await orders.for_user(db.conn, user_id, offset=offset, limit=limit)


async def user_order(db: Database, user_id: int, order_id: int) -> Order | None:
    """One order, only if it is this customer's (None otherwise: never reveal others' orders)."""
    return await orders.get_for_user(db.conn, order_id, user_id)


async def order(db: Database, order_id: int) -> Order | None:
    """Any order by id (admins)."""
    return await orders.get(db.conn, order_id)


async def order_refills(db: Database, order_id: int) -> list[Refill]:
    """An order's refill requests, oldest first."""
    return await refills.for_order(db.conn, order_id)


async def open_orders(db: Database, panel: str) -> list[Order]:
    """Orders the panel still works on (non-final, with a panel order id), for the status sync."""
    return await orders.open_for_panel(db.conn, panel)


async def open_refills(db: Database, panel: str) -> list[Refill]:
    """Refills the panel accepted and still works on, for the sync."""
    return await refills.open_for_panel(db.conn, panel)


async def find_users(db: Database, query: str | int) -> list[User]:
    """The customers a Telegram id (number) or username (with or without '@') names: none, one, or
    several when more than one row has held that username."""
    if isinstance(query, int):
        user = await users.get(db.conn, query)
        return [user] if user else []
    text = query.strip()
    user_id = parse_whole(text, signed=True)
    if user_id is not None:
        user = await users.get(db.conn, user_id)
        return [user] if user else []
    return await users.with_username(db.conn, text)
