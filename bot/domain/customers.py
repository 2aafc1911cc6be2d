"""Customers as the chat sees them: recording who writes, their language, and who the ban stops.

Language rule: a customer's stored choice wins; without one, Telegram's language_code (exact, then
its base language), else the shop's default. The Translator owns the matching, so the chat passes
it in as a `resolve` function: the domain knows nothing of catalogues. The language is stored at
first contact, so background messages (status pushes) speak the same language as the chat.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.storage import users
from bot.storage.db import Database
from bot.storage.users import User

TOUCH_EVERY = timedelta(minutes=5)  # last_seen is refreshed at most this often (one write, not one per update)

# Telegram's language_code (or None) -> the language the customer is answered in
LanguageResolver = Callable[[str | None], str]


async def get_customer(db: Database, user_id: int) -> User | None:
    """One customer by Telegram id; None for someone who never wrote to the bot."""
    return await users.get(db.conn, user_id)


def needs_write(row: User | None, username: str | None, *, now: datetime | None = None) -> bool:
    """Whether the stored row needs a write: new, no language yet, unblocked, renamed or not seen lately."""
    if row is None or row.language is None or row.blocked:
        return True
    if row.username != users.clean_username(username):
        return True
    return (now or datetime.now(UTC)) - row.last_seen >= TOUCH_EVERY


async def remember_customer(db: Database, user_id: int, username: str | None, language_code: str | None, *,
                            resolve: LanguageResolver) -> User:
    """Create or refresh the customer's row; without a stored language, store the one they will get."""
    async with db.transaction() as conn:
        row = await users.touch(conn, user_id, username)
        if row.language is None:
            lang = resolve(language_code)
            await users.set_language(conn, user_id, lang)
            row = replace(row, language=lang)
    return row


async def record_contact(db: Database, user_id: int, username: str | None, language_code: str | None, *,
                         resolve: LanguageResolver, first_contact: Callable[[], Awaitable[None]]) -> User:
    """The customer as they write now; `first_contact` runs only for someone without a row, before it is written.

    First-contact work (e.g. a referral link's arrival) may write the row itself; whatever it wrote is
    then completed (language) rather than replaced.
    """
    row = await get_customer(db, user_id)
    if row is None:
        await first_contact()
        row = await get_customer(db, user_id)
    if needs_write(row, username):
        row = await remember_customer(db, user_id, username, language_code, resolve=resolve)
    return row


def stopped_by_ban(customer: User, *, is_admin: bool, is_payment: bool) -> bool:
    """Whether the ban stops this update: never an admin, never a payment message (money must not be lost)."""
    return customer.banned and not is_admin and not is_payment


async def choose_language(db: Database, user_id: int, code: str, shipped: Collection[str]) -> bool:
    """Store the customer's choice (creating their row if it is somehow missing); False for a language not shipped."""
    if code not in shipped:
        return False
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        await users.set_language(conn, user_id, code)
    return True
