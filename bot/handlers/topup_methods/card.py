"""Paying a card invoice (Telegram Payments): the pre-checkout answer and the credit.

topup_payments.py receives every pre_checkout_query and successful_payment (one handler each
for the whole bot) and hands those of card invoices (payload CARD-…, currency not XTR) here.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import CallbackContext

from bot.domain import card_topups
from bot.handlers.topup_methods.customer import CARD_PREFIX
from bot.handlers.topup_methods.shared import announce, answer_checkout, tell
from bot.runtime import runtime
from bot.telegram import alerts

log = logging.getLogger(__name__)


def is_card(payload: str | None, currency: str | None) -> bool:
    """Card invoices carry our CARD-… reference as payload; anything else stays with the Stars handlers."""
    return bool(payload and payload.startswith(CARD_PREFIX + "-"))


async def on_pre_checkout(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    await answer_checkout(update, context, card_topups.check_checkout, what="card pre-checkout", logger=log,
                          enabled=runtime(context).settings.payments.payment_provider_token is not None)


async def on_successful_payment(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    paid = update.message.successful_payment
    rt = runtime(context)
    user_id = update.effective_user.id
    settled = await card_topups.record_payment(
        rt.db, user_id=user_id, payload=paid.invoice_payload, currency=paid.currency,
        total_amount=paid.total_amount, charge_id=paid.telegram_payment_charge_id,
        rule=rt.settings.payments.topup_bonus)
    if settled is None:
        await tell(context.bot, rt, user_id, "topups.card_unmatched")
        await alerts.alert(context.bot, rt.settings, rt.i18n, "topups.alert_card_unmatched",
                           customer=alerts.customer_label(user_id, update.effective_user.username),
                           charge_id=paid.telegram_payment_charge_id,
                           amount=f"{paid.total_amount} {paid.currency}")
        return
    if not settled.first_time:
        log.info("card payment %s delivered again; credited once", paid.telegram_payment_charge_id)
    await announce(context.bot, rt, settled)
