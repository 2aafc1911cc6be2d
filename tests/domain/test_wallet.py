"""Wallet: every change is a ledger row, the balance is their sum, no overdraft."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain import wallet
from bot.domain.errors import AlreadyApplied, InsufficientBalance
from bot.storage.ledger import LedgerKind


async def test_credit_debit_history(db):
    assert await wallet.balance(db, 1) == 0
    assert await wallet.credit(db, 1, 5_000_000, note="welcome") == 5_000_000
    assert await wallet.debit(db, 1, 2_000_000, note="fix") == 3_000_000
    history = await wallet.history(db, 1)
    assert [(e.amount, e.kind) for e in history] == [
        (-2_000_000, LedgerKind.ADMIN_ADJUSTMENT), (5_000_000, LedgerKind.CREDIT),
    ]
    assert await wallet.balance(db, 1) == sum(e.amount for e in history)


async def test_debit_never_overdraws(db):
    await wallet.credit(db, 1, 100)
    with pytest.raises(InsufficientBalance) as info:
        await wallet.debit(db, 1, 101)
    assert (info.value.balance, info.value.needed) == (100, 101)
    assert await wallet.balance(db, 1) == 100


async def test_concurrent_debits_never_overdraw(db):
    await wallet.credit(db, 1, 1000)
    results = await asyncio.gather(*(wallet.debit(db, 1, 300) for _ in range(5)), return_exceptions=True)
    assert sum(isinstance(r, int) for r in results) == 3
    assert sum(isinstance(r, InsufficientBalance) for r in results) == 2
    assert await wallet.balance(db, 1) == 100


async def test_admin_adjust_refuses_below_zero_unless_forced(db):
    await wallet.admin_adjust(db, 9, 500, actor=77, note="gift")
    with pytest.raises(InsufficientBalance):
        await wallet.admin_adjust(db, 9, -600, actor=77)
    assert await wallet.admin_adjust(db, 9, -600, actor=77, force=True) == -100
    entry = (await wallet.history(db, 9, limit=1))[0]
    assert (entry.actor, entry.kind, entry.amount) == (77, LedgerKind.ADMIN_ADJUSTMENT, -600)


async def test_a_topup_reference_is_credited_once(db):
    await wallet.credit(db, 1, 1000, kind=LedgerKind.TOPUP, reference="stars:abc")
    with pytest.raises(AlreadyApplied):
        await wallet.credit(db, 1, 1000, kind=LedgerKind.TOPUP, reference="stars:abc")
    assert await wallet.balance(db, 1) == 1000


@pytest.mark.parametrize("amount", [0, -5, 1.5, True])
async def test_amounts_must_be_positive_integers(db, amount):
    with pytest.raises((ValueError, TypeError)):
        await wallet.credit(db, 1, amount)
