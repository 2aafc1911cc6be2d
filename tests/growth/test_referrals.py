"""Referral program rules: codes, who may be attached, and commission on what each order kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain import reconcile, referrals, statuses, wallet
from bot.panel.models import OrderState, OrderStatus
from bot.storage import ledger
from bot.storage import referrals as store
from bot.storage.ledger import LedgerKind, order_reference
from tests.domain.conftest import placed_order
from tests.growth.conftest import FRIEND, REFERRER, known_customer, referred_pair


def _state(status: OrderStatus, **fields) -> OrderState:
    return OrderState(order_id="x", status=status, status_raw=status.value, **fields)


async def _commission_rows(db, order_id: int) -> list[tuple[int, int]]:
    """(user, amount) of the referral rows about one order."""
    return [(e.user_id, e.amount) for e in await ledger.by_reference(db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFERRAL]


# --- codes and links -------------------------------------------------------------------------------

async def test_code_is_random_stable_and_not_the_telegram_id(db):
    first = await referrals.code_for(db, 123456789)
    assert re.fullmatch(r"[a-z2-9]{8}", first) and "123456789" not in first
    assert await referrals.code_for(db, 123456789) == first
    assert await referrals.code_for(db, 987654321) != first
    assert referrals.personal_link("shop_bot", first) == f"https://t.me/shop_bot?start=ref_{first}"


@pytest.mark.parametrize(("payload", "code"), [
    ("ref_abcd2345", "abcd2345"), ("ref_ABCD2345", "abcd2345"), ("ref_", None), ("abcd2345", None),
    (None, None), ("", None), ("ref_ab", None), ("ref_abc-defg", None), ("ref_" + "a" * 33, None),
])
def test_start_payload_parsing(payload, code):
    assert referrals.start_code(payload) == code


@pytest.mark.parametrize(("spent", "percent", "amount"), [
    (1_000_000, "10", 100_000), (5, "10", 1), (4, "10", 0), (15, "10", 2), (1_000_000, "0", 0),
    (0, "50", 0), (333_333, "7.5", 25_000), (1_000_000, "100", 1_000_000),
])
def test_commission_is_percent_half_up(spent, percent, amount):
    assert referrals.commission_amount(spent, Decimal(percent)) == amount


async def test_percent_is_stored_and_checked(db):
    assert await referrals.program_percent(db) == 0  # never set: off
    await referrals.set_percent(db, Decimal("12.5"))
    assert await referrals.program_percent(db) == Decimal("12.5")
    for wrong in ("-1", "100.01", "NaN"):
        with pytest.raises(ValueError):
            await referrals.set_percent(db, Decimal(wrong))


# --- attaching -------------------------------------------------------------------------------------

async def test_a_newcomer_is_attached_once_and_forever(db):
    code = await referred_pair(db)
    assert await store.referrer_of(db.conn, FRIEND) == REFERRER
    await known_customer(db, 300)
    other = await referrals.code_for(db, 300)
    assert not await referrals.arrive(db, FRIEND, None, f"ref_{other}")  # already a customer now
    assert not await referrals.arrive(db, FRIEND, None, f"ref_{code}")
    assert await store.referrer_of(db.conn, FRIEND) == REFERRER


async def test_existing_customers_unknown_codes_and_self_referral_are_refused(db):
    await known_customer(db, REFERRER)
    code = await referrals.code_for(db, REFERRER)
    await known_customer(db, 300)
    assert not await referrals.arrive(db, 300, None, f"ref_{code}")  # wrote to the bot before
    assert not await referrals.arrive(db, REFERRER, None, f"ref_{code}")  # their own link
    assert not await referrals.arrive(db, 400, None, "ref_zzzzzzzz")  # nobody's code
    assert not await referrals.arrive(db, 401, None, "hello")  # not a referral payload
    for user in (300, REFERRER, 400, 401):
        assert await store.referrer_of(db.conn, user) is None
    assert await db.fetchone("SELECT 1 FROM users WHERE id IN (400, 401)") is None  # left to the gate


async def test_loops_are_refused(db):
    await referred_pair(db)  # FRIEND was brought by REFERRER
    third_code = await referrals.code_for(db, FRIEND)
    assert await referrals.arrive(db, 300, None, f"ref_{third_code}")  # 300 <- FRIEND <- REFERRER
    assert await store.in_upline(db.conn, 300, REFERRER)
    assert await store.in_upline(db.conn, 300, 300)
    assert not await store.in_upline(db.conn, REFERRER, 300)
    await known_customer(db, 500)
    async with db.transaction() as conn:
        assert not await store.attach(conn, 500, 500)  # the schema's CHECK refuses self-reference
        assert not await store.attach(conn, 300, 500)  # attached already: never replaced
    assert await store.referrer_of(db.conn, 300) == FRIEND


# --- commission ------------------------------------------------------------------------------------

async def test_completed_order_pays_commission_once(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, FRIEND, price=2_000_000)
    before = await wallet.balance(db, REFERRER)
    await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS, remains=10))
    assert await _commission_rows(db, order_id) == []  # not final yet
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED, remains=0))
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED, remains=0))
    await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=500))  # final stays final
    assert await _commission_rows(db, order_id) == [(REFERRER, 200_000)]
    assert await wallet.balance(db, REFERRER) == before + 200_000
    entry = (await wallet.history(db, REFERRER, limit=1))[0]
    assert (entry.kind, entry.reference, entry.actor) == (LedgerKind.REFERRAL, order_reference(order_id), None)


async def test_partial_pays_on_the_delivered_part_and_canceled_pays_nothing(db):
    await referred_pair(db, percent="10")
    partial = await placed_order(db, FRIEND, price=1_000_000, quantity=1000)
    canceled = await placed_order(db, FRIEND, price=1_000_000)
    assert (await statuses.apply_status(db, partial, _state(OrderStatus.PARTIAL, remains=250))).refund == 250_000
    await statuses.apply_status(db, canceled, _state(OrderStatus.CANCELED))
    assert await _commission_rows(db, partial) == [(REFERRER, 75_000)]  # 10% of the 750_000 kept
    assert await _commission_rows(db, canceled) == []
    settled = await store.commission_of(db.conn, canceled)
    assert (settled.spent, settled.amount) == (0, 0)


async def test_admin_refund_after_settlement_takes_the_difference_back(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, FRIEND, price=1_000_000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED))
    await reconcile.refund_order(db, order_id, 400_000, actor=1)
    assert await _commission_rows(db, order_id) == [(REFERRER, 100_000), (REFERRER, -40_000)]
    await reconcile.refund_order(db, order_id, None, actor=1)
    assert sum(a for _, a in await _commission_rows(db, order_id)) == 0
    assert (await store.commission_of(db.conn, order_id)).amount == 0


async def test_admin_refund_of_an_open_order_counts_when_it_ends(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, FRIEND, price=1_000_000)
    await reconcile.refund_order(db, order_id, 300_000, actor=1)
    assert await _commission_rows(db, order_id) == []  # still open: nothing is final yet
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED))
    assert await _commission_rows(db, order_id) == [(REFERRER, 70_000)]


async def test_unknown_order_refunded_by_admin_pays_nothing(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, FRIEND, price=1_000_000, status="unknown")
    await reconcile.refund_unknown(db, order_id, actor=1)
    assert await _commission_rows(db, order_id) == []
    assert (await store.commission_of(db.conn, order_id)).amount == 0


async def test_percent_in_force_at_settlement_is_kept_for_later_refunds(db):
    await referred_pair(db, percent="0")
    order_id = await placed_order(db, FRIEND, price=1_000_000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED))
    await referrals.set_percent(db, Decimal(20))
    await reconcile.refund_order(db, order_id, 100_000, actor=1)
    assert await _commission_rows(db, order_id) == []  # settled at 0%: a later refund pays nothing either
    second = await placed_order(db, FRIEND, price=1_000_000)
    await statuses.apply_status(db, second, _state(OrderStatus.COMPLETED))
    assert await _commission_rows(db, second) == [(REFERRER, 200_000)]


async def test_customers_nobody_referred_pay_no_commission(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, 300, price=1_000_000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED))
    assert await _commission_rows(db, order_id) == []
    assert await store.commission_of(db.conn, order_id) is None


async def test_the_schema_refuses_a_second_commission_credit(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, FRIEND, price=1_000_000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED))
    with pytest.raises(Exception, match="UNIQUE"):
        async with db.transaction() as conn:
            await ledger.add(conn, REFERRER, 5, LedgerKind.REFERRAL, reference=order_reference(order_id))


# --- what the screens and admins read -------------------------------------------------------------

async def test_summary_customer_view_and_totals(db):
    code = await referred_pair(db, percent="10")
    assert await referrals.arrive(db, 300, None, f"ref_{code}")
    done = await placed_order(db, FRIEND, price=1_000_000)
    partial = await placed_order(db, 300, price=2_000_000, quantity=100)
    await statuses.apply_status(db, done, _state(OrderStatus.COMPLETED))
    await statuses.apply_status(db, partial, _state(OrderStatus.PARTIAL, remains=50))
    mine = await referrals.summary(db, REFERRER)
    assert (mine.code, mine.referred, mine.earned) == (code, 2, 200_000)
    assert [(c.order_id, c.user_id, c.spent, c.amount) for c in mine.recent] == [
        (partial, 300, 1_000_000, 100_000), (done, FRIEND, 1_000_000, 100_000)]
    friend = await referrals.customer_referrals(db, FRIEND)
    assert (friend.referrer.id, friend.referred, friend.earned) == (REFERRER, 0, 0)
    assert await referrals.customer_referrals(db, REFERRER) == referrals.CustomerReferrals(None, 2, 200_000)
    assert await referrals.totals(db) == store.ProgramTotals(referred=2, referred_since=2, commissions=2,
                                                             paid=200_000)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert await referrals.totals(db, tomorrow) == store.ProgramTotals(2, 0, 0, 0)
