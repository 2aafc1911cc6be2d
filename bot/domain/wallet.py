"""Customers' wallets. A balance is the sum of the customer's ledger rows; every change is a row.

The sum is kept in a balances row beside the ledger (storage/ledger.add moves both in one
transaction), so reading a balance costs one row; `check_balances` proves the two agree.

Amounts are integer minor units of the shop currency, which is the panels' currency (the shop
adds a markup, never converts). Checks and writes happen in one transaction, so two changes
at once can never overdraw a wallet.
"""

from __future__ import annotations

from bot.domain.errors import AlreadyApplied, InsufficientBalance
from bot.storage import ledger, users
from bot.storage.db import Database
from bot.storage.ledger import BalanceMismatch, LedgerEntry, LedgerKind

# kinds whose reference may be recorded only once when the bot itself writes them
_ONCE_KINDS = (LedgerKind.ORDER_CHARGE, LedgerKind.REFUND, LedgerKind.TOPUP)


def _positive(amount: int) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValueError("amount must be a positive integer of minor units")
    return amount


async def balance(db: Database, user_id: int) -> int:
    """The customer's balance in minor units (0 for a stranger)."""
    return await ledger.balance(db.conn, user_id)


async def check_balances(db: Database) -> list[BalanceMismatch]:
    """Every wallet whose stored balance is not the sum of its ledger (empty: all agree).

    One pass over the ledger; for `check` commands, tests and audits, never on a hot path.
    """
    return await ledger.mismatched_balances(db.conn)


async def history(db: Database, user_id: int, limit: int = 20, offset: int = 0) -> list[LedgerEntry]:
    """The customer's balance changes, newest first."""
    return await ledger.history(db.conn, user_id, limit, offset)


async def credit(
    db: Database, user_id: int, amount: int, *, kind: LedgerKind = LedgerKind.CREDIT,
    reference: str | None = None, note: str | None = None, actor: int | None = None,
) -> int:
    """Add money; the balance after. AlreadyApplied when a bot-written reference was credited before."""
    _positive(amount)
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        if reference is not None and actor is None and kind in _ONCE_KINDS:
            if await ledger.exists(conn, kind, reference):
                raise AlreadyApplied(f"{kind} {reference} was already recorded")
        await ledger.add(conn, user_id, amount, kind, reference=reference, note=note, actor=actor)
        return await ledger.balance(conn, user_id)


async def debit(
    db: Database, user_id: int, amount: int, *, kind: LedgerKind = LedgerKind.ADMIN_ADJUSTMENT,
    reference: str | None = None, note: str | None = None, actor: int | None = None,
) -> int:
    """Take money, never below zero (InsufficientBalance); the balance after."""
    _positive(amount)
    async with db.transaction() as conn:
        current = await ledger.balance(conn, user_id)
        if current < amount:
            raise InsufficientBalance(current, amount)
        await ledger.add(conn, user_id, -amount, kind, reference=reference, note=note, actor=actor)
        return current - amount


async def admin_adjust(
    db: Database, user_id: int, amount: int, *, actor: int, note: str | None = None, force: bool = False,
) -> int:
    """An admin adds (amount > 0) or takes (amount < 0) money; taking below zero needs `force`."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
        raise ValueError("amount must be a non-zero integer of minor units")
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        current = await ledger.balance(conn, user_id)
        if amount < 0 and current + amount < 0 and not force:
            raise InsufficientBalance(current, -amount)
        await ledger.add(
            conn, user_id, amount, LedgerKind.ADMIN_ADJUSTMENT, note=note, actor=actor
        )
        return current + amount
