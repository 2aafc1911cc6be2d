"""Card top-ups through Telegram Payments (a provider token from @BotFather): pre-checkout and credit.

The invoice row (bot/domain/topups.record, written before sendInvoice) is the contract: a
pre-checkout is approved only for that customer, in that currency, for exactly the smallest
units the bot asked, while the row is pending. successful_payment credits what Telegram says was
paid (total_amount at the row's rate), once per row and per Telegram charge id (unique index).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from bot.config_payments import BonusRule
from bot.domain import topups
from bot.domain.payments import Decline
from bot.domain.topup_money import credit_for_paid, exponent
from bot.domain.topups import Settled
from bot.payments.methods import CARD
from bot.storage import users
from bot.storage.db import Database
from bot.storage.topups import Topup, TopupStatus

log = logging.getLogger(__name__)


def _units(row: Topup) -> int:
    return int(row.pay_amount.scaleb(exponent(row.pay_currency)))


async def check_checkout(db: Database, *, payload: str, user_id: int, currency: str, total_amount: int,
                         enabled: bool) -> Decline | None:
    """None when the pre-checkout matches a pending card invoice of this customer, else why not."""
    if not enabled:
        return Decline.DISABLED
    row = await topups.by_reference(db, payload)
    if row is None or row.method != CARD:
        return Decline.UNKNOWN
    if row.user_id != user_id:
        return Decline.NOT_YOURS
    if currency != row.pay_currency or total_amount != _units(row):
        return Decline.WRONG_AMOUNT
    if row.status != TopupStatus.PENDING:
        return Decline.PAID
    user = await users.get(db.conn, user_id)
    if user is not None and user.banned:
        return Decline.BANNED
    return None


async def record_payment(db: Database, *, user_id: int, payload: str, currency: str, total_amount: int,
                         charge_id: str, rule: BonusRule | None) -> Settled | None:
    """Credit a card payment once; None when it fits no card invoice of this customer (nothing credited)."""
    row = await topups.by_reference(db, payload)
    if row is None or row.method != CARD or row.user_id != user_id or currency != row.pay_currency:
        log.warning("card payment %s of user %s matches no card invoice; not credited", charge_id, user_id)
        return None
    paid = credit_for_paid(Decimal(total_amount).scaleb(-exponent(currency)), row.rate)
    if total_amount != _units(row):
        log.warning("card payment %s paid %s smallest units, the invoice asked %s; crediting what was paid",
                    charge_id, total_amount, _units(row))
    return await topups.credit(db, row.id, rule=rule, amount=paid, external_id=charge_id,
                               also_from=(TopupStatus.EXPIRED,))
