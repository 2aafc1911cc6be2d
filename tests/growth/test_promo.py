"""Promo codes: admin specs, once per customer, limits under concurrency, expiry, failed-attempt limit."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import promo, wallet
from bot.domain.errors import NotFound, WrongState
from bot.domain.promo import Outcome, PromoSpec, PromoSpecError
from bot.storage import ledger
from bot.storage import promo as store
from bot.storage.ledger import LedgerKind

ADMIN = 1
TODAY = date(2030, 6, 15)
NOON = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)


async def _code(db, code="WELCOME", amount=500_000, max_uses=None, expires_on=None):
    return await promo.create(db, PromoSpec(code, amount, max_uses, expires_on), actor=ADMIN)


async def _promo_rows(db, user_id):
    return [e.amount for e in await ledger.history(db.conn, user_id, limit=1000) if e.kind is LedgerKind.PROMO]


# --- the admin's spec ------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "spec"), [
    (["welcome", "5"], PromoSpec("WELCOME", 5_000_000)),
    (["W-1_x", "0.5", "10"], PromoSpec("W-1_X", 500_000, 10)),
    (["SPRING", "2,50", "2030-06-15"], PromoSpec("SPRING", 2_500_000, None, TODAY)),
    (["SPRING", "1", "2030-07-01", "3"], PromoSpec("SPRING", 1_000_000, 3, date(2030, 7, 1))),
    (["SPRING", "1", "3", "2030-07-01"], PromoSpec("SPRING", 1_000_000, 3, date(2030, 7, 1))),
])
def test_spec_parsing(args, spec):
    assert promo.parse_spec(args, today=TODAY) == spec


@pytest.mark.parametrize(("args", "reason"), [
    ([], "usage"), (["ONLY"], "usage"), (["A", "1", "2", "2030-07-01", "x"], "usage"),
    (["AB", "1"], "code"), (["BAD CODE!", "1"], "code"), (["ПРОМО", "1"], "code"),
    (["CODE", "zero"], "amount"), (["CODE", "0"], "amount"), (["CODE", "-5"], "amount"),
    (["CODE", "1", "0"], "max_uses"), (["CODE", "1", "2030-02-30"], "expires"),
    (["CODE", "1", "2030-06-14"], "expires_past"), (["CODE", "1", "3", "4"], "usage"),
    (["CODE", "1", "soon"], "usage"),
])
def test_spec_errors_name_what_is_wrong(args, reason):
    with pytest.raises(PromoSpecError) as caught:
        promo.parse_spec(args, today=TODAY)
    assert caught.value.reason == reason


async def test_codes_are_unique_case_insensitively_and_never_reused(db):
    made = await _code(db, "WELCOME", 500_000, 3, TODAY)
    assert (made.code, made.amount, made.max_uses, made.uses, made.expires_on, made.active) == (
        "WELCOME", 500_000, 3, 0, TODAY, True)
    with pytest.raises(promo.CodeTaken):
        await _code(db, "WELCOME")
    off = await promo.deactivate(db, "welcome")
    assert not off.active
    with pytest.raises(WrongState):
        await promo.deactivate(db, "WELCOME")
    with pytest.raises(NotFound):
        await promo.deactivate(db, "NOPE")
    with pytest.raises(promo.CodeTaken):  # a switched-off name is never reused
        await _code(db, "WELCOME")
    assert (await store.get(db.conn, "WELCOME")).created_by == ADMIN
    assert [c.code for c in await promo.list_codes(db)] == ["WELCOME"]


# --- redeeming -------------------------------------------------------------------------------------

async def test_a_code_credits_once_per_customer(db):
    await _code(db, "WELCOME", 500_000)
    first = await promo.redeem(db, 42, " welcome ")
    assert (first.outcome, first.code, first.amount, first.balance) == (Outcome.REDEEMED, "WELCOME", 500_000, 500_000)
    again = await promo.redeem(db, 42, "WELCOME")
    assert (again.outcome, again.amount) == (Outcome.ALREADY_REDEEMED, 0)
    assert (await promo.redeem(db, 43, "Welcome")).ok
    assert await _promo_rows(db, 42) == [500_000]
    assert await wallet.balance(db, 42) == 500_000
    assert await promo.redemption_totals(db) == (2, 1_000_000)
    assert await promo.redemption_totals(db, 42) == (1, 500_000)
    assert await promo.redemption_totals(db, since=datetime.now(UTC) + timedelta(days=1)) == (0, 0)
    entry = (await wallet.history(db, 42, limit=1))[0]
    assert (entry.kind, entry.reference) == (LedgerKind.PROMO, "promo:WELCOME")


async def test_unknown_expired_off_and_used_up_codes_are_refused(db):
    await _code(db, "SUMMER", 100, expires_on=TODAY)
    await _code(db, "ONCE", 100, max_uses=1)
    await _code(db, "GONE", 100)
    await promo.deactivate(db, "GONE")
    assert (await promo.redeem(db, 42, "SUMMER", now=NOON)).ok  # the expiry day itself still works
    assert (await promo.redeem(db, 43, "SUMMER", now=NOON + timedelta(days=1))).outcome is Outcome.EXPIRED
    assert (await promo.redeem(db, 43, "NOSUCH")).outcome is Outcome.UNKNOWN
    assert (await promo.redeem(db, 43, "not a code!")).outcome is Outcome.UNKNOWN
    assert (await promo.redeem(db, 43, "GONE")).outcome is Outcome.INACTIVE
    assert (await promo.redeem(db, 42, "ONCE")).ok
    refused = await promo.redeem(db, 44, "ONCE")
    assert (refused.outcome, refused.code) == (Outcome.USED_UP, "ONCE")
    assert await wallet.balance(db, 43) == 0 and await wallet.balance(db, 44) == 0


async def test_max_uses_holds_under_twenty_concurrent_redemptions(db):
    await _code(db, "RUSH", 1_000, max_uses=5)
    results = await asyncio.gather(*(promo.redeem(db, 1000 + i, "RUSH") for i in range(20)))
    winners = [1000 + i for i, r in enumerate(results) if r.ok]
    assert len(winners) == 5
    assert sorted({r.outcome for r in results}) == [Outcome.REDEEMED, Outcome.USED_UP]
    assert (await store.get(db.conn, "RUSH")).uses == 5
    for i in range(20):
        assert await wallet.balance(db, 1000 + i) == (1_000 if 1000 + i in winners else 0)


async def test_two_customers_racing_for_the_last_use_credit_one(db):
    await _code(db, "LAST", 7_000, max_uses=2)
    assert (await promo.redeem(db, 1, "LAST")).ok
    results = await asyncio.gather(promo.redeem(db, 2, "LAST"), promo.redeem(db, 3, "LAST"))
    assert sorted(r.outcome for r in results) == [Outcome.REDEEMED, Outcome.USED_UP]
    assert await wallet.balance(db, 2) + await wallet.balance(db, 3) == 7_000


async def test_one_customer_hammering_a_code_is_credited_once(db):
    await _code(db, "MINE", 3_000)
    results = await asyncio.gather(*(promo.redeem(db, 42, "MINE") for _ in range(20)))
    assert [r.outcome for r in results].count(Outcome.REDEEMED) == 1
    assert await wallet.balance(db, 42) == 3_000


async def test_the_schema_backs_the_rules_up(db):
    code = await _code(db, "SAFE", 10, max_uses=1)
    assert (await promo.redeem(db, 42, "SAFE")).ok
    with pytest.raises(sqlite3.IntegrityError):  # CHECK uses <= max_uses
        async with db.transaction() as conn:
            await conn.execute("UPDATE promo_codes SET uses = uses + 1 WHERE id = ?", (code.id,))
    with pytest.raises(sqlite3.IntegrityError):  # one ledger credit per customer and code
        async with db.transaction() as conn:
            await ledger.add(conn, 42, 10, LedgerKind.PROMO, reference="promo:SAFE")


# --- failed attempts -------------------------------------------------------------------------------

async def test_failed_attempts_are_limited_per_customer(db):
    await _code(db, "REAL", 1_000)
    for _ in range(promo.MAX_FAILED_ATTEMPTS):
        assert (await promo.redeem(db, 42, "GUESS1", now=NOON)).outcome is Outcome.UNKNOWN
    locked = await promo.redeem(db, 42, "REAL", now=NOON + timedelta(minutes=10))
    assert locked.outcome is Outcome.TOO_MANY_ATTEMPTS
    assert locked.retry_after == promo.FAILED_WINDOW - timedelta(minutes=10)
    assert (await promo.redeem(db, 43, "REAL", now=NOON)).ok  # others are not affected
    later = NOON + promo.FAILED_WINDOW
    assert (await promo.redeem(db, 42, "REAL", now=later)).ok  # a new window
    assert await store.attempts(db.conn, 42) is None  # a success forgets the failures


async def test_repeating_ones_own_code_is_not_a_failure(db):
    await _code(db, "REAL", 1_000)
    assert (await promo.redeem(db, 42, "REAL", now=NOON)).ok
    for _ in range(promo.MAX_FAILED_ATTEMPTS + 2):
        assert (await promo.redeem(db, 42, "REAL", now=NOON)).outcome is Outcome.ALREADY_REDEEMED
    assert await store.attempts(db.conn, 42) is None
