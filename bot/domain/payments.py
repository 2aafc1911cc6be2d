"""Top-ups in Telegram Stars: quotes, invoices, pre-checkout checks, crediting once per charge.

Rate: STARS_PER_UNIT Stars buy one unit of the shop currency. Stars are whole numbers, so
- a preset is a number of Stars and credits exactly what they buy, rounded down to a minor unit;
- a custom amount A costs ceil(A × rate) Stars, which then credit what they buy: at least A, and
  less than one Star's worth more. The customer sees both numbers before paying.
The credit is fixed in the invoice record when it is issued (before it is sent), so a later rate
change never alters an invoice already in a customer's chat, and a pre-checkout is checked
against exactly what the bot issued. Refunds are in bot/domain/payment_refunds.py.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

from bot.config_payments import BonusRule
from bot.domain.errors import DomainError, LimitExceeded
from bot.domain.topup_money import bonus
from bot.money import MINOR_PER_UNIT, from_minor
from bot.storage import ledger, payments, users
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from bot.storage.payments import Invoice, InvoiceStatus, Payment, PaymentStatus

log = logging.getLogger(__name__)

STARS_CURRENCY = "XTR"
PRESET_STARS = (100, 250, 500, 1000, 2500)  # Stars have one price worldwide, so presets suit any shop currency
MAX_STARS = 10_000  # the most one Stars invoice may ask
PAYLOAD_PREFIX = "topup:"


class TopupsOff(DomainError):
    """STARS_PER_UNIT is not set: top-ups are turned off."""


class Decline(StrEnum):
    """Why a pre-checkout query is declined."""

    DISABLED = "disabled"        # top-ups were turned off since the invoice was sent
    UNKNOWN = "unknown"          # a payload the bot never issued (tampered or foreign)
    NOT_YOURS = "not_yours"      # another customer's invoice
    WRONG_AMOUNT = "wrong_amount"  # not XTR, or not the Stars the bot asked
    PAID = "paid"                # this invoice was paid already
    BANNED = "banned"


@dataclass(frozen=True)
class Quote:
    """What an invoice asks and gives: whole Stars, and the minor units they credit."""

    stars: int
    amount: int
    rate: Decimal
    requested: int | None = None  # the custom amount the customer typed, when it was one


@dataclass(frozen=True)
class PaymentResult:
    """A successful_payment handled: the stored payment and the balance now."""

    payment: Payment
    balance: int
    first_time: bool  # False: Telegram delivered this charge before (nothing credited now)
    bonus: int = 0    # TOPUP_BONUS credited with it now (minor units)

    @property
    def credited(self) -> bool:
        return self.payment.status != PaymentStatus.UNMATCHED


def topup_reference(charge_id: str) -> str:
    """The ledger reference of a Stars payment (and of its refund)."""
    return f"stars:{charge_id}"


def stars_rate(setting: Decimal | None) -> Decimal:
    """STARS_PER_UNIT as a usable rate; TopupsOff when unset."""
    if setting is None or not setting.is_finite() or setting <= 0:
        raise TopupsOff("top-ups are off (STARS_PER_UNIT is not set)")
    return setting


def quote_stars(stars: int, rate: Decimal) -> Quote:
    """What `stars` Stars buy, rounded down to a minor unit; LimitExceeded outside 1..MAX_STARS."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= MAX_STARS:
        raise LimitExceeded(f"an invoice asks 1 to {MAX_STARS} Stars")
    amount = int((Decimal(stars) * MINOR_PER_UNIT / rate).to_integral_value(rounding=ROUND_FLOOR))
    if amount <= 0:
        raise LimitExceeded("these Stars buy less than the smallest amount")
    return Quote(stars=stars, amount=amount, rate=rate)


def quote_amount(amount: int, rate: Decimal) -> Quote:
    """A custom amount (minor units) rounded up to whole Stars, crediting what they buy."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValueError("amount must be a positive integer of minor units")
    stars = int((from_minor(amount) * rate).to_integral_value(rounding=ROUND_CEILING))
    if stars > MAX_STARS:
        raise LimitExceeded(f"an invoice asks at most {MAX_STARS} Stars")
    quote = quote_stars(max(stars, 1), rate)
    return Quote(stars=quote.stars, amount=quote.amount, rate=rate, requested=amount)


def max_amount(rate: Decimal) -> int:
    """The largest credit one invoice can buy (minor units)."""
    return quote_stars(MAX_STARS, rate).amount


def preset_quotes(rate: Decimal) -> list[Quote]:
    """The preset top-ups at this rate (a preset that buys nothing is left out)."""
    found = []
    for stars in PRESET_STARS:
        try:
            found.append(quote_stars(stars, rate))
        except LimitExceeded:
            continue
    return found


async def issue_invoice(db: Database, user_id: int, quote: Quote) -> Invoice:
    """Record an invoice for `quote` with a fresh unguessable payload; call before sending it."""
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        return await payments.insert_invoice(
            conn, payload=PAYLOAD_PREFIX + secrets.token_urlsafe(18), user_id=user_id, stars=quote.stars,
            amount=quote.amount, rate=quote.rate,
        )


async def check_checkout(db: Database, *, payload: str, user_id: int, currency: str, total_amount: int,
                         enabled: bool) -> Decline | None:
    """None when the pre-checkout matches an unpaid invoice this bot issued to this customer, else why not."""
    if not enabled:
        return Decline.DISABLED
    invoice = await payments.invoice_by_payload(db.conn, payload)
    if invoice is None:
        return Decline.UNKNOWN
    if invoice.user_id != user_id:
        return Decline.NOT_YOURS
    if currency != STARS_CURRENCY or total_amount != invoice.stars:
        return Decline.WRONG_AMOUNT
    if invoice.status != InvoiceStatus.ISSUED:
        return Decline.PAID
    user = await users.get(db.conn, user_id)
    if user is not None and user.banned:
        return Decline.BANNED
    return None


def _matches(invoice: Invoice | None, user_id: int, currency: str, total_amount: int) -> bool:
    return (invoice is not None and invoice.user_id == user_id and currency == STARS_CURRENCY
            and total_amount == invoice.stars and invoice.status == InvoiceStatus.ISSUED)


async def record_payment(db: Database, *, user_id: int, payload: str, currency: str, total_amount: int,
                         charge_id: str, rule: BonusRule | None = None) -> PaymentResult:
    """Credit a successful payment exactly once per charge id; a repeat returns the first outcome.

    Money Telegram took is never dropped: a payment that fits no unpaid invoice of this customer
    is stored `unmatched` (nothing credited) for an admin to refund.
    """
    if not charge_id:
        raise ValueError("a payment needs Telegram's charge id")
    try:
        async with db.transaction() as conn:
            known = await payments.payment(conn, charge_id)
            if known is not None:
                return PaymentResult(known, await ledger.balance(conn, known.user_id), first_time=False)
            await users.ensure(conn, user_id)
            invoice = await payments.invoice_by_payload(conn, payload)
            extra = 0
            if _matches(invoice, user_id, currency, total_amount):
                stored = await payments.insert_payment(
                    conn, charge_id=charge_id, invoice_id=invoice.id, user_id=user_id, payload=payload,
                    stars=total_amount, amount=invoice.amount, status=PaymentStatus.CREDITED)
                await payments.mark_invoice_paid(conn, invoice.id)
                await ledger.add(conn, user_id, invoice.amount, LedgerKind.TOPUP,
                                 reference=topup_reference(charge_id), note=f"{total_amount} Stars")
                extra = bonus(rule, invoice.amount)  # TOPUP_BONUS, its own row
                if extra:
                    await ledger.add(conn, user_id, extra, LedgerKind.TOPUP_BONUS,
                                     reference=topup_reference(charge_id), note="stars")
            else:
                log.warning("Stars payment %s of user %s matches no unpaid invoice; stored unmatched",
                            charge_id, user_id)
                stored = await payments.insert_payment(
                    conn, charge_id=charge_id, invoice_id=None, user_id=user_id, payload=payload,
                    stars=max(total_amount, 0), amount=0, status=PaymentStatus.UNMATCHED)
            return PaymentResult(stored, await ledger.balance(conn, user_id), first_time=True, bonus=extra)
    except sqlite3.IntegrityError:
        # recorded by a concurrent delivery between our check and insert: report that one
        known = await payments.payment(db.conn, charge_id)
        if known is None:
            raise
        return PaymentResult(known, await ledger.balance(db.conn, known.user_id), first_time=False)


async def mark_notified(db: Database, charge_id: str) -> None:
    """The customer was told about this payment."""
    async with db.transaction() as conn:
        await payments.mark_notified(conn, charge_id)


async def find_payment(db: Database, charge_id: str) -> Payment | None:
    """One payment by Telegram's charge id."""
    return await payments.payment(db.conn, charge_id)


async def recent_payments(db: Database, user_id: int, limit: int = 5) -> list[Payment]:
    """A customer's latest Stars payments, newest first (for admins: the charge ids to refund)."""
    return await payments.user_payments(db.conn, user_id, limit)


@dataclass(frozen=True)
class StarsIncome:
    """A customer's invoice payment as listed among the bot's Star transactions."""

    charge_id: str
    user_id: int
    payload: str
    stars: int


FetchIncome = Callable[[int, int], Awaitable[list[StarsIncome | None]]]
SWEEP_PAGE = 100  # getStarTransactions returns at most 100 per call
SWEEP_OVERLAP = 100  # re-read this many already-seen transactions: recording is idempotent, missing is not


async def sweep_payments(db: Database, fetch: FetchIncome, rule: BonusRule | None = None) -> list[PaymentResult]:
    """Record every listed payment not recorded yet; the newly recorded ones.

    `fetch(offset, limit)` returns one page of the bot's transactions in chronological order,
    None for those that are not a customer's invoice payment. The list only grows, so the sweep
    remembers how far it read and starts a little before that next time.
    """
    offset = max(await payments.swept(db.conn) - SWEEP_OVERLAP, 0)
    found: list[PaymentResult] = []
    while True:
        page = await fetch(offset, SWEEP_PAGE)
        for item in page:
            if item is None:
                continue
            result = await record_payment(db, user_id=item.user_id, payload=item.payload,
                                          currency=STARS_CURRENCY, total_amount=item.stars,
                                          charge_id=item.charge_id, rule=rule)
            if result.first_time:
                found.append(result)
        offset += len(page)
        async with db.transaction() as conn:
            if offset > await payments.swept(conn):
                await payments.set_swept(conn, offset)
        if len(page) < SWEEP_PAGE:
            return found
