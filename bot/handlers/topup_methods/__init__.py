"""Payment methods beyond Stars (issue #13): Crypto Pay, cards through Telegram Payments, manual transfers.

    customer.py  Top up → method → amount → pay link / invoice / transfer instructions
    shared.py    notices, the Crypto Pay Check button, receipts
    card.py      pre-checkout and successful_payment of card invoices (routed from topup_payments.py)
    crypto.py    the Crypto Pay client, poll job and webhook server
    admin.py     the manual transfer card, /payments, /refund_topup, /stats and /user lines
The rules are in bot/domain/topups.py (credit once), topup_money.py (conversion, bonus),
crypto_topups.py and card_topups.py; provider clients and the method interface in bot/payments/.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, CallbackContext, CallbackQueryHandler, MessageHandler, filters

from bot.config import Settings
from bot.domain import topups
from bot.handlers.topup_methods import admin, admin_manual, admin_refunds, crypto, customer, shared
from bot.payments.methods import MANUAL_PREFIX, enabled_methods, problems
from bot.render import pay_views
from bot.render.callbacks import pattern
from bot.runtime import RUNTIME_KEY, app_runtime, runtime
from bot.storage.topups import TopupStatus
from bot.telegram.prompts import PromptReplyHandler

log = logging.getLogger(__name__)

ADMIN_COMMANDS = admin.ADMIN_COMMANDS + admin_refunds.ADMIN_COMMANDS + admin_manual.ADMIN_COMMANDS
EXPIRY_JOB = "manual-topup-expiry"
EXPIRY_SECONDS = 60


class ReceiptHandler(MessageHandler):
    """A receipt: a reply (photo, document or text) to the customer's own receipt prompt, or a photo or
    document sent on its own while a manual method exists (private chats only).

    Anything else passes on untouched: a reply to the promo or support prompts, the rest of an album
    (support relays albums), order answers.
    """

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        media = filters.PHOTO | filters.Document.ALL
        text = filters.TEXT & filters.REPLY & ~filters.COMMAND
        super().__init__(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & (media | text), shared.on_receipt)
        self._application = application

    def check_update(self, update: object) -> bool:
        if not super().check_update(update):
            return False
        message, user = update.message, update.effective_user  # type: ignore[union-attr]
        if message.reply_to_message is not None:
            data = self._application.user_data.get(user.id) if user is not None else None
            prompt = data.get(shared.RECEIPT_PROMPT) if data else None
            return bool(prompt) and message.reply_to_message.message_id == prompt
        rt = self._application.bot_data.get(RUNTIME_KEY)
        return (bool(message.photo or message.document) and message.media_group_id is None
                and rt is not None and bool(rt.settings.payments.manual_payments))


async def _expiry_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    rt = runtime(context)
    for row in await topups.expire_due(rt.db, MANUAL_PREFIX, (TopupStatus.PENDING, TopupStatus.RECEIPT)):
        await shared.tell(context.bot, rt, row.user_id, "topups.manual_expired", reference=row.reference)
        await admin.close_card(context.bot, rt, row, rt.i18n.t(rt.default_language, "topups.admin_expired"))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    application.add_handler(PromptReplyHandler(application, customer.PROMPT_KEY, customer.on_amount_reply))
    application.add_handler(CallbackQueryHandler(customer.on_button, pattern=pattern(pay_views.FEATURE)))
    application.add_handler(ReceiptHandler(application))  # photos only while a manual method exists
    admin.register(application, settings)
    admin_refunds.register(application, settings)
    admin_manual.register(application, settings)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt = app_runtime(application)
    await admin_manual.refresh(rt)  # /manual edits over MANUAL_PAYMENTS
    for line in problems(rt.settings):
        log.warning(line)
    log.info("payment methods: %s", [m.name for m in enabled_methods(rt.settings)] or "none")
    await crypto.on_startup(application)
    for settled in await topups.untold(rt.db):  # credited, but a stop came before the customer was told
        await shared.announce(application.bot, rt, settled, untold=True)
    if application.job_queue is not None:
        application.job_queue.run_repeating(_expiry_job, interval=EXPIRY_SECONDS, first=5, name=EXPIRY_JOB)
