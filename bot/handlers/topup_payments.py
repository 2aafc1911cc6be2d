"""Paying a Stars invoice: the pre-checkout answer, the credit on successful_payment, and a sweep.

pre_checkout_query must be answered within 10 s: one indexed read decides, bounded by
CHECKOUT_SECONDS (topup_methods/shared.answer_checkout, which card invoices share), and any failure answers "no" (the customer keeps the Stars and can retry) rather
than letting Telegram time out. successful_payment credits once per charge id (the domain's
UNIQUE key), so a redelivered update, or one redelivered after a restart, credits nothing more;
the customer is told once (the payment row remembers it).

An update can still be lost (a crash after polling confirmed it, a failing handler). The sweep
reads the bot's Star transactions (getStarTransactions, chronological) at start-up and every
SWEEP_SECONDS while top-ups are on, and records any payment the bot never saw.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, StarTransaction, TransactionPartnerUser, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, MessageHandler, PreCheckoutQueryHandler, filters

from bot.config import Settings
from bot.domain import customers, payments
from bot.domain.payments import PaymentResult, StarsIncome
from bot.handlers.topup_methods import card
from bot.handlers.topup_methods.shared import answer_checkout
from bot.money import format_money
from bot.payments import adapters
from bot.render import topup_views as views
from bot.runtime import Runtime, app_runtime, runtime
from bot.telegram import alerts
from bot.telegram.language import language_for
from bot.telegram.notify import send_to_user
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

SWEEP_SECONDS = 15 * 60
SWEEP_FIRST_SECONDS = 1.0
SWEEP_JOB = "stars-sweep"


async def on_pre_checkout(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Say yes only to an unpaid invoice this bot issued to this customer, at its price."""
    query = update.pre_checkout_query
    if card.is_card(query.invoice_payload, query.currency):
        await card.on_pre_checkout(update, context)
        return
    await answer_checkout(update, context, payments.check_checkout, what="pre-checkout", logger=log,
                          enabled=runtime(context).settings.shop.stars_per_unit is not None)


async def on_successful_payment(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Credit the payment (once per charge id) and tell the customer."""
    paid = update.message.successful_payment
    if card.is_card(paid.invoice_payload, paid.currency):
        await card.on_successful_payment(update, context)
        return
    rt = runtime(context)
    result = await payments.record_payment(
        rt.db, user_id=update.effective_user.id, payload=paid.invoice_payload, currency=paid.currency,
        total_amount=paid.total_amount, charge_id=paid.telegram_payment_charge_id,
        rule=rt.settings.payments.topup_bonus)
    if not result.first_time:
        log.info("Stars payment %s delivered again; credited once", paid.telegram_payment_charge_id)
    await report(context.bot, rt, result)


async def report(bot: Bot, rt: Runtime, result: PaymentResult) -> None:
    """Tell the customer (once per payment) and, the first time, the admins."""
    payment = result.payment
    if result.first_time:
        await _alert_admins(bot, rt, result)
    if payment.notified:
        return
    tr = rt.i18n.bind(await language_for(rt, payment.user_id))
    currency = rt.settings.shop.shop_currency
    text = (views.credited_text(tr, payment.stars, payment.amount, result.balance, currency, result.bonus)
            if result.credited
            else views.unmatched_text(tr, payment.stars))
    if await send_to_user(bot, rt.db, payment.user_id, text):
        await payments.mark_notified(rt.db, payment.charge_id)


async def _alert_admins(bot: Bot, rt: Runtime, result: PaymentResult) -> None:
    """A one-line note of each top-up in the admin chat; a payment the bot cannot honour stands out."""
    payment = result.payment
    user = await customers.get_customer(rt.db, payment.user_id)
    who = alerts.customer_label(payment.user_id, user.username if user else None)
    msgid = "payments.alert_topup" if result.credited else "payments.alert_unmatched"
    await alerts.alert(bot, rt.settings, rt.i18n, msgid, customer=who, stars=payment.stars,
                       amount=views.exact_money(payment.amount, rt.settings.shop.shop_currency),
                       balance=format_money(result.balance, rt.settings.shop.shop_currency),
                       charge_id=payment.charge_id)


def income(transaction: StarTransaction) -> StarsIncome | None:
    """A Star transaction as a customer's invoice payment, or None for any other kind."""
    source = transaction.source
    if not isinstance(source, TransactionPartnerUser) or not source.invoice_payload:
        return None
    if getattr(source, "transaction_type", "invoice_payment") != "invoice_payment" or transaction.amount <= 0:
        return None
    return StarsIncome(charge_id=transaction.id, user_id=source.user.id, payload=source.invoice_payload,
                       stars=transaction.amount)


async def sweep(bot: Bot, rt: Runtime) -> int:
    """Record payments the bot never received as updates and tell their customers; how many were new."""

    async def fetch(offset: int, limit: int) -> list[StarsIncome | None]:
        page = await bot.get_star_transactions(offset=offset, limit=limit)
        return [income(transaction) for transaction in page.transactions]

    found = [learned.detail for learned in await adapters.stars(rt.settings, fetch=fetch).learn(rt.db)]
    for result in found:
        log.warning("Stars payment %s reached the bot only through the sweep", result.payment.charge_id)
        await report(bot, rt, result)
    return len(found)


async def _sweep_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    rt = runtime(context)
    if rt.settings.shop.stars_per_unit is None:
        return
    try:
        await sweep(context.bot, rt)
    except (TelegramError, OSError) as exc:  # next round will try again
        log.warning("Stars sweep failed: %s", redact(str(exc)))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """The pre-checkout answer and the successful_payment credit."""
    application.add_handler(PreCheckoutQueryHandler(on_pre_checkout))
    application.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, on_successful_payment))


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Schedule the sweep (jobs are not persisted, so it is scheduled at every start) while top-ups are on."""
    if app_runtime(application).settings.shop.stars_per_unit is None or application.job_queue is None:
        return
    application.job_queue.run_repeating(_sweep_job, interval=SWEEP_SECONDS, first=SWEEP_FIRST_SECONDS,
                                        name=SWEEP_JOB)
