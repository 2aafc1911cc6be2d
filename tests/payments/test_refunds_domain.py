"""Refunding a top-up: the wallet is debited once, spent money needs force, Telegram's answer settles it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import wallet
from bot.domain.errors import AlreadyApplied, InsufficientBalance, NotFound
from bot.domain.payment_refunds import RefundPending, RefundRefused, refund_topup
from bot.domain.payments import issue_invoice, quote_stars, record_payment, topup_reference
from bot.storage import ledger
from bot.storage import payments as store
from bot.storage.db import Database
from bot.storage.payments import PaymentStatus

ALICE, ADMIN = 42, 1
CREDIT = 5_000_000  # 250 Stars at 50 per unit


class Telegram:
    """What refundStarPayment answers, scripted; records each request."""

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes, self.requests = list(outcomes), []

    async def __call__(self, user_id: int, charge_id: str) -> None:
        self.requests.append((user_id, charge_id))
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome


async def _paid(db: Database, charge_id: str = "ch-1", *, payload: str | None = None) -> None:
    invoice = await issue_invoice(db, ALICE, quote_stars(250, Decimal(50)))
    await record_payment(db, user_id=ALICE, payload=payload or invoice.payload, currency="XTR", total_amount=250,
                         charge_id=charge_id)


async def _sum_is_balance(db: Database) -> None:
    rows = await ledger.history(db.conn, ALICE, limit=1000)
    assert sum(r.amount for r in rows) == await wallet.balance(db, ALICE)


async def test_a_refund_debits_the_top_up_and_asks_telegram_once(db: Database) -> None:
    await _paid(db)
    telegram = Telegram()
    done = await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=telegram)
    assert telegram.requests == [(ALICE, "ch-1")]
    assert (done.debit, done.balance, done.resumed) == (CREDIT, 0, False)
    assert done.payment.status == PaymentStatus.REFUNDED and done.payment.refunded_by == ADMIN
    rows = await ledger.by_reference(db.conn, topup_reference("ch-1"))
    assert [(r.amount, r.actor) for r in rows] == [(CREDIT, None), (-CREDIT, ADMIN)]
    with pytest.raises(AlreadyApplied):
        await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=telegram)
    assert len(telegram.requests) == 1 and await wallet.balance(db, ALICE) == 0


async def test_spent_money_is_refused_unless_forced(db: Database) -> None:
    await _paid(db)
    await wallet.debit(db, ALICE, 3_000_000, note="an order")
    telegram = Telegram()
    with pytest.raises(InsufficientBalance):
        await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=telegram)
    assert telegram.requests == [] and await wallet.balance(db, ALICE) == 2_000_000
    assert (await store.payment(db.conn, "ch-1")).status == PaymentStatus.CREDITED
    done = await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=telegram, force=True)
    assert done.balance == -3_000_000 and telegram.requests == [(ALICE, "ch-1")]
    await _sum_is_balance(db)


async def test_a_refusal_puts_the_money_back(db: Database) -> None:
    await _paid(db)
    with pytest.raises(RefundRefused):
        await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=Telegram(RefundRefused("CHARGE_NOT_FOUND")))
    assert await wallet.balance(db, ALICE) == CREDIT
    payment = await store.payment(db.conn, "ch-1")
    assert payment.status == PaymentStatus.CREDITED and payment.refund_debit is None
    await _sum_is_balance(db)
    done = await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=Telegram())  # can be tried again
    assert done.balance == 0


async def test_no_answer_leaves_it_refunding_and_a_retry_does_not_debit_twice(db: Database) -> None:
    await _paid(db)
    with pytest.raises(RefundPending):
        await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=Telegram(TimeoutError()))
    assert (await store.payment(db.conn, "ch-1")).status == PaymentStatus.REFUNDING
    assert await wallet.balance(db, ALICE) == 0
    telegram = Telegram()
    done = await refund_topup(db, "ch-1", admin_id=ADMIN, send_refund=telegram)
    assert done.resumed and done.debit == CREDIT and done.balance == 0 and telegram.requests
    await _sum_is_balance(db)


async def test_an_unmatched_payment_is_refunded_without_a_debit(db: Database) -> None:
    await _paid(db, "odd", payload="forged")
    await wallet.credit(db, ALICE, 1_000_000, note="other money")
    done = await refund_topup(db, "odd", admin_id=ADMIN, send_refund=Telegram())
    assert done.debit == 0 and done.balance == 1_000_000


async def test_an_unknown_charge_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound):
        await refund_topup(db, "nope", admin_id=ADMIN, send_refund=Telegram())
