"""The payment methods as implementations of bot/payments/base.PaymentMethod.

Each delegates to the domain rules of its method, so there is one place for each rule:
Stars → bot/domain/payments.py (+ payment_refunds.py), Crypto Pay → crypto_topups.py (+
topup_refunds.py), card → card_topups.py, manual → topups.py. `build(...)` picks the class.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from bot.config import Settings
from bot.config_payments import BonusRule
from bot.domain import crypto_topups, payment_refunds, payments, topup_refunds, topups
from bot.domain.errors import NotFound
from bot.domain.topup_money import convert, exponent
from bot.payments.base import Created, Learned, NotRefundable, PaymentMethod, Refunded
from bot.payments.cryptopay import CryptoPayClient
from bot.payments.methods import Kind, Method
from bot.storage.db import Database
from bot.storage.topups import Topup, TopupStatus

CARD_PREFIX = "CARD"
MANUAL_PREFIX = "PAY"


def _created(row: Topup) -> Created:
    return Created(reference=row.reference, credit=row.amount, pay=row.pay_amount,
                   pay_units=int(row.pay_amount.scaleb(exponent(row.pay_currency))), currency=row.pay_currency,
                   pay_url=row.pay_url, record_id=row.id)


def learned(outcome: crypto_topups.Outcome) -> Learned:
    row, settled = outcome.topup, outcome.settled
    return Learned(row.user_id, settled.credited if settled else 0, settled.bonus if settled else 0,
                   topups.ledger_reference(row), credited=settled is not None, detail=outcome)


async def _row(db: Database, reference: str, method: Method) -> Topup:
    row = await topups.get(db, int(reference)) if reference.isdigit() else await topups.by_reference(db, reference)
    if row is None or row.method != method.name:
        raise NotFound(f"no {method.name} top-up {reference}")
    return row


class StarsMethod(PaymentMethod):
    """Telegram Stars: invoices in XTR (whole Stars), the getStarTransactions sweep, refundStarPayment."""

    def __init__(self, method: Method, rate: Decimal | None, *, rule: BonusRule | None,
                 fetch: payments.FetchIncome | None = None,
                 send_refund: payment_refunds.SendRefund | None = None,
                 find_refund: payment_refunds.FindRefund | None = None) -> None:
        super().__init__(method)
        self.rate, self.rule, self.fetch, self.send_refund = rate, rule, fetch, send_refund
        self.find_refund = find_refund

    async def create(self, db: Database, user_id: int, requested: int) -> Created:
        quote = payments.quote_amount(requested, payments.stars_rate(self.rate))  # TopupsOff while off
        invoice = await payments.issue_invoice(db, user_id, quote)
        return Created(reference=invoice.payload, credit=quote.amount, pay=Decimal(quote.stars),
                       pay_units=quote.stars, currency=payments.STARS_CURRENCY, record_id=invoice.id)

    async def learn(self, db: Database) -> list[Learned]:
        if self.fetch is None:
            return []
        found = await payments.sweep_payments(db, self.fetch, self.rule)
        return [Learned(r.payment.user_id, r.payment.amount, 0, payments.topup_reference(r.payment.charge_id),
                        credited=r.credited, detail=r) for r in found]

    async def refund(self, db: Database, reference: str, *, admin_id: int, force: bool = False,
                     note: str = "refund") -> Refunded:
        if self.send_refund is None:
            raise NotRefundable("no way to reach Telegram")
        done = await payment_refunds.refund_topup(db, reference, admin_id=admin_id, send_refund=self.send_refund,
                                                  find_refund=self.find_refund, force=force)
        return Refunded(done.payment.user_id, done.debit, done.balance, done.resumed, detail=done)


class CryptoMethod(PaymentMethod):
    """Crypto Pay: createInvoice after the record, the getInvoices poll, refunds through `transfer`."""

    def __init__(self, method: Method, client: CryptoPayClient, *, rule: BonusRule | None,
                 assets: tuple[str, ...], expires_in: int, description: str = "Balance top-up") -> None:
        super().__init__(method)
        self.client, self.rule, self.assets, self.expires_in = client, rule, assets, expires_in
        self.description = description

    async def create(self, db: Database, user_id: int, requested: int) -> Created:
        row = await crypto_topups.create(db, self.client, method=self.method, user_id=user_id,
                                         conversion=convert(requested, self.method.rate, self.method.currency),
                                         description=self.description, expires_in=self.expires_in,
                                         assets=self.assets)
        return _created(row)

    async def learn(self, db: Database) -> list[Learned]:
        outcomes = await crypto_topups.poll(db, self.client, self.rule)
        return [learned(o) for o in outcomes if (o.settled is not None and o.settled.first_time) or o.closed]

    async def refund(self, db: Database, reference: str, *, admin_id: int, force: bool = False,
                     note: str = "refund") -> Refunded:
        row = await _row(db, reference, self.method)

        async def send_back(topup: Topup, spend: str) -> None:
            await self.client.transfer(user_id=topup.user_id, asset=topup.paid_asset, amount=topup.paid_amount,
                                       spend_id=spend, comment=f"Refund {topup.reference}")

        done = await topup_refunds.refund_crypto(db, row.id, admin_id=admin_id, send_back=send_back, force=force)
        return Refunded(row.user_id, done.debit, done.balance, done.resumed, detail=done)


class CardMethod(PaymentMethod):
    """Telegram Payments: the record is the invoice payload; Telegram pushes the payment (no poll, no refund)."""

    async def create(self, db: Database, user_id: int, requested: int) -> Created:
        conversion = convert(requested, self.method.rate, self.method.currency)
        row = await topups.record(db, method=self.method.name, user_id=user_id, conversion=conversion,
                                  prefix=CARD_PREFIX, status=TopupStatus.PENDING, expires_in=None)
        return _created(row)


class ManualTransfer(PaymentMethod):
    """A manual transfer: the record carries the reference code; an admin's Approve credits; a refund is a debit."""

    def __init__(self, method: Method, *, expire_hours: float) -> None:
        super().__init__(method)
        self.expire_hours = expire_hours

    async def create(self, db: Database, user_id: int, requested: int) -> Created:
        conversion = convert(requested, self.method.rate, self.method.currency)
        row = await topups.record(db, method=self.method.name, user_id=user_id, conversion=conversion,
                                  prefix=MANUAL_PREFIX, status=TopupStatus.PENDING, expires_in=self.expire_hours * 3600)
        return _created(row)

    async def refund(self, db: Database, reference: str, *, admin_id: int, force: bool = False,
                     note: str = "refund") -> Refunded:
        row = await _row(db, reference, self.method)
        done = await topups.refund_by_debit(db, row.id, admin_id=admin_id, note=note, force=force)
        return Refunded(row.user_id, done.debit, done.balance, detail=done)


def stars(settings: Settings, *, fetch: payments.FetchIncome | None = None,
          send_refund: payment_refunds.SendRefund | None = None,
          find_refund: payment_refunds.FindRefund | None = None) -> StarsMethod:
    """Stars, also while STARS_PER_UNIT is unset: payments taken earlier can still be swept and refunded."""
    rate = settings.shop.stars_per_unit
    method = Method("stars", "stars", Kind.STARS, payments.STARS_CURRENCY, 1 / rate if rate else Decimal(0), None,
                    True)
    return StarsMethod(method, rate, rule=settings.payments.topup_bonus, fetch=fetch, send_refund=send_refund,
                       find_refund=find_refund)


def descriptor(settings: Settings, name: str) -> Method | None:
    """The method stored under `name`: the enabled one, or (turned off since) enough of it to refund."""
    from bot.payments.methods import CARD, CRYPTO, MANUAL_PREFIX, by_name

    found = by_name(settings, name)
    if found is not None:
        return found
    if name.startswith(MANUAL_PREFIX):
        return Method("m?", name, Kind.MANUAL, "", Decimal(1), None, True)
    if name in (CRYPTO, CARD):
        return Method(name, name, Kind.CRYPTO if name == CRYPTO else Kind.CARD, "", Decimal(1), None, name == CRYPTO)
    return None


def build(settings: Settings, method: Method, *, crypto_client: CryptoPayClient | None = None,
          fetch: payments.FetchIncome | None = None, send_refund: payment_refunds.SendRefund | None = None,
          describe: Callable[[], str] | None = None) -> PaymentMethod:
    """The implementation of an enabled method, given what it needs from outside."""
    pay = settings.payments
    if method.kind == Kind.STARS:
        return stars(settings, fetch=fetch, send_refund=send_refund)
    if method.kind == Kind.CRYPTO:
        if crypto_client is None:
            raise NotFound("Crypto Pay is not connected")
        return CryptoMethod(method, crypto_client, rule=pay.topup_bonus, assets=pay.crypto_pay_assets,
                            expires_in=pay.crypto_pay_expires_seconds,
                            description=describe() if describe else "Balance top-up")
    if method.kind == Kind.CARD:
        return CardMethod(method)
    return ManualTransfer(method, expire_hours=pay.manual_expire_hours)
