"""Customers as the operators see them: look-up by id or @username, profile, ban flag."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import lookups, wallet
from bot.domain.errors import NotFound
from bot.storage import users
from bot.storage.db import Database
from bot.storage.orders import Order
from bot.storage.paging import Page
from bot.storage.users import User

PROFILE_ORDERS = 5


class CustomerNotFound(NotFound):
    """Nobody who wrote to the bot has this id or username."""

    def __init__(self, query: str) -> None:
        super().__init__(f"no customer {query}")
        self.query = query


class AmbiguousCustomer(NotFound):
    """More than one customer row holds this username; the admin must use an id."""

    def __init__(self, query: str, candidates: list[int]) -> None:
        super().__init__(f"{query} names customers {candidates}")
        self.query, self.candidates = query, candidates


@dataclass(frozen=True)
class UserProfile:
    """One customer with their balance (minor units) and latest orders."""

    user: User
    balance: int
    orders: Page[Order]


async def find_customer(db: Database, query: str) -> User:
    """The customer a typed `<telegram id | @username>` names; NotFound when nobody matches.

    Only customers who wrote to the bot are found: money is never sent to an id typed by mistake.
    """
    found = await lookups.find_users(db, query)
    if not found:
        raise CustomerNotFound(query)
    if len(found) > 1:  # never guess whose wallet an ambiguous @name means
        raise AmbiguousCustomer(query, [user.id for user in found])
    return found[0]


async def profile(db: Database, query: str) -> UserProfile:
    """The customer's profile for /user."""
    user = await find_customer(db, query)
    return UserProfile(
        user=user, balance=await wallet.balance(db, user.id),
        orders=await lookups.user_orders(db, user.id, limit=PROFILE_ORDERS),
    )


async def set_banned(db: Database, query: str, banned: bool) -> tuple[User, bool]:
    """Ban or unban a customer; the customer and whether the flag changed."""
    async with db.transaction() as conn:
        user = await find_customer(db, query)
        if user.banned != banned:
            await users.set_banned(conn, user.id, banned)
    return user, user.banned != banned
