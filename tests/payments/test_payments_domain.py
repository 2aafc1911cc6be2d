"""Invoices, pre-checkout checks and crediting: what the bot issued is what gets paid, once per charge."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from bot.domain import payments, wallet
from bot.domain.payments import Decline, issue_invoice, quote_stars, record_payment
from bot.storage import ledger, users
from bot.storage import payments as store
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from bot.storage.payments import InvoiceStatus, PaymentStatus

RATE = Decimal(50)
ALICE, BOB = 42, 43


async def _invoice(db: Database, user_id: int = ALICE, stars: int = 250):
    return await issue_invoice(db, user_id, quote_stars(stars, RATE))


async def _check(db: Database, invoice, **changes) -> Decline | None:
    params = {"payload": invoice.payload, "user_id": invoice.user_id, "currency": "XTR",
              "total_amount": invoice.stars, "enabled": True, **changes}
    return await payments.check_checkout(db, **params)


async def test_the_invoice_is_recorded_with_an_unguessable_payload(db: Database) -> None:
    first, second = await _invoice(db), await _invoice(db)
    assert first.payload != second.payload and first.payload.startswith(payments.PAYLOAD_PREFIX)
    assert len(first.payload.encode()) <= 128  # Telegram's limit for invoice_payload
    stored = await store.invoice_by_payload(db.conn, first.payload)
    assert stored == first and stored.status == InvoiceStatus.ISSUED
    assert (stored.stars, stored.amount, stored.rate) == (250, 5_000_000, RATE)


async def test_checkout_accepts_only_what_was_issued(db: Database) -> None:
    invoice = await _invoice(db)
    assert await _check(db, invoice) is None
    assert await _check(db, invoice, payload=invoice.payload + "x") == Decline.UNKNOWN
    assert await _check(db, invoice, payload="topup:forged") == Decline.UNKNOWN
    assert await _check(db, invoice, user_id=BOB) == Decline.NOT_YOURS
    assert await _check(db, invoice, total_amount=1) == Decline.WRONG_AMOUNT
    assert await _check(db, invoice, currency="USD") == Decline.WRONG_AMOUNT
    assert await _check(db, invoice, enabled=False) == Decline.DISABLED
    async with db.transaction() as conn:
        await users.set_banned(conn, ALICE, True)
    assert await _check(db, invoice) == Decline.BANNED


async def test_a_paid_invoice_cannot_be_paid_again(db: Database) -> None:
    invoice = await _invoice(db)
    await record_payment(db, user_id=ALICE, payload=invoice.payload, currency="XTR", total_amount=250,
                         charge_id="ch-1")
    assert await _check(db, invoice) == Decline.PAID


async def test_a_payment_credits_once_per_charge_id(db: Database) -> None:
    invoice = await _invoice(db)
    pay = {"user_id": ALICE, "payload": invoice.payload, "currency": "XTR", "total_amount": 250, "charge_id": "ch-1"}
    first = await record_payment(db, **pay)
    again = await record_payment(db, **pay)
    assert first.first_time and first.credited and first.balance == 5_000_000
    assert not again.first_time and again.payment == first.payment and again.balance == 5_000_000
    rows = await ledger.by_reference(db.conn, payments.topup_reference("ch-1"))
    assert [(r.kind, r.amount, r.actor) for r in rows] == [(LedgerKind.TOPUP, 5_000_000, None)]
    assert (await store.invoice_by_payload(db.conn, invoice.payload)).status == InvoiceStatus.PAID


async def test_concurrent_deliveries_of_one_charge_credit_once(db: Database) -> None:
    invoice = await _invoice(db)
    results = await asyncio.gather(*[
        record_payment(db, user_id=ALICE, payload=invoice.payload, currency="XTR", total_amount=250,
                       charge_id="ch-1") for _ in range(10)])
    assert sum(r.first_time for r in results) == 1
    assert await wallet.balance(db, ALICE) == 5_000_000


async def test_a_payment_that_fits_no_invoice_is_kept_uncredited(db: Database) -> None:
    invoice = await _invoice(db)
    odd = [("forged", ALICE, 250), (invoice.payload, BOB, 250), (invoice.payload, ALICE, 249)]
    for n, (payload, user_id, stars) in enumerate(odd):
        result = await record_payment(db, user_id=user_id, payload=payload, currency="XTR", total_amount=stars,
                                      charge_id=f"odd-{n}")
        assert result.first_time and not result.credited and result.payment.amount == 0
        assert result.payment.status == PaymentStatus.UNMATCHED
    assert await wallet.balance(db, ALICE) == 0 and await wallet.balance(db, BOB) == 0
    # the invoice is still payable by its owner, and a second charge for it after that is not credited
    ok = await record_payment(db, user_id=ALICE, payload=invoice.payload, currency="XTR", total_amount=250,
                              charge_id="ch-1")
    late = await record_payment(db, user_id=ALICE, payload=invoice.payload, currency="XTR", total_amount=250,
                                charge_id="ch-2")
    assert ok.credited and not late.credited and await wallet.balance(db, ALICE) == 5_000_000


async def test_the_credit_is_the_invoice_amount_even_if_the_rate_changed(db: Database) -> None:
    invoice = await issue_invoice(db, ALICE, quote_stars(250, Decimal(3)))
    result = await record_payment(db, user_id=ALICE, payload=invoice.payload, currency="XTR", total_amount=250,
                                  charge_id="ch-1")
    assert result.balance == 83_333_333


async def test_notified_is_remembered(db: Database) -> None:
    invoice = await _invoice(db)
    result = await record_payment(db, user_id=ALICE, payload=invoice.payload, currency="XTR", total_amount=250,
                                  charge_id="ch-1")
    assert not result.payment.notified
    await payments.mark_notified(db, "ch-1")
    assert (await payments.find_payment(db, "ch-1")).notified
