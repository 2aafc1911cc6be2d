"""What several payment methods' handlers share: telling people, the Crypto Pay client, receipts,
and the pre-checkout answer of invoices paid inside Telegram (Stars and cards).

Receipts (manual transfers): after Send receipt, the customer's next photo, document or text
reply to the receipt prompt is the receipt; a photo or document sent without pressing it is
taken for their one waiting transfer. A receipt without a waiting transfer, or a second one,
gets a clear answer and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, ForceReply, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.domain import crypto_topups, customers, topups
from bot.domain.payments import Decline
from bot.domain.topups import Settled
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.payments.cryptopay import CryptoPayClient, CryptoPayError
from bot.payments.methods import MANUAL_PREFIX, by_name
from bot.render import pay_views as views
from bot.render import topup_views
from bot.render.menu_views import Tr
from bot.runtime import Runtime, runtime
from bot.storage.topups import Topup, TopupStatus
from bot.telegram import alerts
from bot.telegram.language import language_for
from bot.telegram.notify import send_to_user
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

CLIENT_KEY = "cryptopay_client"   # bot_data: the CryptoPayClient while Crypto Pay is on
RECEIPT_PROMPT = "receipt_prompt"  # user_data: message id of the receipt prompt
RECEIPT_FOR = "receipt_for"        # user_data: the top-up that prompt is for
CHECK_TEXTS = {TopupStatus.CREDITED: N_("topups.check_paid"), TopupStatus.REFUNDING: N_("topups.check_paid"),
               TopupStatus.REFUNDED: N_("topups.check_paid"), TopupStatus.EXPIRED: N_("topups.check_expired"),
               TopupStatus.FAILED: N_("topups.check_expired")}
CHECKOUT_SECONDS = 7.0  # Telegram waits 10 s for the pre-checkout answer: this leaves the rest for the answer
TRY_AGAIN = N_("payments.decline_try_again")

# a domain's check_checkout(db, *, payload, user_id, currency, total_amount, enabled) -> why not, or None
CheckoutCheck = Callable[..., Awaitable[Decline | None]]


def crypto_client(application: Application[Any, Any, Any, Any, Any, Any]) -> CryptoPayClient | None:
    return application.bot_data.get(CLIENT_KEY)


async def tell(bot: Bot, rt: Runtime, user_id: int, msgid: str, **params: object) -> bool:
    """A message to a customer in their language; False when it did not arrive (never raises)."""
    try:
        tr = rt.i18n.bind(await language_for(rt, user_id))
        return await send_to_user(bot, rt.db, user_id, tr(msgid, **params))
    except TelegramError as exc:
        log.warning("could not tell customer %s (%s): %s", user_id, msgid, redact(str(exc)))
        return False


async def answer_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE, check: CheckoutCheck, *,
                          enabled: bool, what: str, logger: logging.Logger) -> None:
    """Answer a pre_checkout_query with the method's domain `check`, bounded by CHECKOUT_SECONDS: yes only
    when it finds nothing wrong; a failed or slow check is a "try again" no (the customer keeps their money),
    never a Telegram timeout. `what` and `logger` name the method in the log lines."""
    query = update.pre_checkout_query
    rt = runtime(context)
    try:
        decline = await asyncio.wait_for(check(
            rt.db, payload=query.invoice_payload, user_id=query.from_user.id, currency=query.currency,
            total_amount=query.total_amount, enabled=enabled,
        ), CHECKOUT_SECONDS)
        failed = False
    except Exception:
        logger.exception("%s of user %s could not be checked; declined", what, query.from_user.id)
        decline, failed = None, True
    if decline is None and not failed:
        await query.answer(ok=True)
        return
    logger.info("%s of user %s declined: %s", what, query.from_user.id, decline or "check failed")
    tr = rt.i18n.bind(await language_for(rt, query.from_user.id, query.from_user.language_code))
    await query.answer(ok=False, error_message=tr(TRY_AGAIN) if failed else topup_views.decline_text(tr, decline))


async def announce(bot: Bot, rt: Runtime, settled: Settled, *, untold: bool = False) -> None:
    """Tell the customer and the admins of a first-time credit; `untold`: only the customer, again.

    A repeated report (webhook after poll) says nothing: only its first handler speaks, so two
    reports handled at once cannot both tell. The row remembers a notice that arrived; start-up
    re-sends the ones a stop swallowed (untold=True).
    """
    row, shop = settled.topup, rt.settings.shop.shop_currency
    if not (settled.first_time or untold):
        return
    if not row.notified:
        try:
            tr = rt.i18n.bind(await language_for(rt, row.user_id))
            if await send_to_user(bot, rt.db, row.user_id,
                                  views.credited_text(tr, settled.credited, settled.bonus, settled.balance, shop,
                                                      row.reference)):
                await topups.mark_notified(rt.db, row.id)
        except TelegramError as exc:
            log.warning("could not tell customer %s of top-up %s: %s", row.user_id, row.id, redact(str(exc)))
    if untold:
        return
    user = await customers.get_customer(rt.db, row.user_id)
    await alerts.alert(bot, rt.settings, rt.i18n, "topups.alert_credited", id=row.id, method=row.method,
                       customer=alerts.customer_label(row.user_id, user.username if user else None),
                       amount=views.exact_money(settled.credited, shop), reference=row.reference,
                       external=row.external_id or "—")


async def check_crypto(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr, topup_id: int) -> None:
    """Check button: ask Crypto Pay about this customer's invoice now."""
    rt = runtime(context)
    row = await topups.get(rt.db, topup_id)
    if row is None or row.user_id != update.effective_user.id or row.method != "cryptopay":
        await answer(update, tr("common.stale_button"))
        return
    client = crypto_client(context.application)
    if row.status == TopupStatus.PENDING and row.external_id and client is not None:
        try:
            for invoice in await client.get_invoices([row.external_id]):
                outcome = await crypto_topups.apply_invoice(rt.db, invoice, rt.settings.payments.topup_bonus)
                if outcome and outcome.settled:
                    await announce(context.bot, rt, outcome.settled)
        except CryptoPayError as exc:
            log.warning("Crypto Pay check failed: %s", redact(exc.name))
            await answer(update, tr("topups.provider_down"))
            return
        row = await topups.get(rt.db, topup_id)
    msgid = CHECK_TEXTS.get(row.status, N_("topups.check_waiting"))
    await answer(update, tr(msgid))


# --- receipts ----------------------------------------------------------------------------------

async def _waiting(rt: Runtime, user_id: int) -> list[Topup]:
    return await topups.open_of(rt.db, method_prefix=MANUAL_PREFIX, statuses=(TopupStatus.PENDING,), user_id=user_id)


async def ask_receipt(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr, topup_id: int) -> None:
    """Send receipt: prompt for the receipt of one of this customer's waiting transfers."""
    rt = runtime(context)
    row = await topups.get(rt.db, topup_id)
    if row is None or row.user_id != update.effective_user.id or not row.method.startswith(MANUAL_PREFIX):
        await answer(update, tr("common.stale_button"))
        return
    if row.status != TopupStatus.PENDING:
        await answer(update, tr("topups.receipt_second" if row.status == TopupStatus.RECEIPT
                                else "topups.receipt_closed", reference=row.reference))
        return
    await answer(update)
    sent = await update.effective_chat.send_message(
        tr("topups.ask_receipt", reference=row.reference), reply_markup=ForceReply(selective=True))
    context.user_data[RECEIPT_PROMPT] = sent.message_id
    context.user_data[RECEIPT_FOR] = row.id


def is_receipt_reply(context: ContextTypes.DEFAULT_TYPE, update: Update) -> bool:
    message = update.effective_message
    prompt = context.user_data.get(RECEIPT_PROMPT) if context.user_data is not None else None
    return bool(prompt and message.reply_to_message and message.reply_to_message.message_id == prompt)


async def on_receipt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, document, or a text reply to the receipt prompt."""
    _, tr = await customer_tr(update, context)
    rt, message, user_id = runtime(context), update.effective_message, update.effective_user.id
    if is_receipt_reply(context, update):
        row = await topups.get(rt.db, context.user_data.get(RECEIPT_FOR, 0))
    else:
        waiting = await _waiting(rt, user_id)
        row = waiting[-1] if waiting else None
        if row is None:
            latest = (await topups.open_of(rt.db, method_prefix=MANUAL_PREFIX, statuses=(TopupStatus.RECEIPT,),
                                           user_id=user_id))
            if latest:
                await message.reply_text(tr("topups.receipt_second", reference=latest[-1].reference))
            else:
                await message.reply_text(tr("topups.receipt_none"))
            return
    if row is None or row.user_id != user_id:
        await message.reply_text(tr("topups.receipt_none"))
        return
    if row.status != TopupStatus.PENDING:
        await message.reply_text(tr("topups.receipt_second" if row.status == TopupStatus.RECEIPT
                                    else "topups.receipt_closed", reference=row.reference))
        return
    if not await topups.receipt_received(rt.db, row.id, message.chat_id, message.message_id):
        await message.reply_text(tr("topups.receipt_second", reference=row.reference))
        return
    context.user_data.pop(RECEIPT_PROMPT, None)
    await message.reply_text(tr("topups.receipt_received", reference=row.reference))
    from bot.handlers.topup_methods.admin import post_card

    await post_card(context, await topups.get(rt.db, row.id))


def method_title(rt: Runtime, name: str) -> str:
    method = by_name(rt.settings, name)
    return method.label if method and method.label else name
