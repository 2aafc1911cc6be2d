"""Top up with Telegram Stars: Balance → Top up → a preset or another amount → an invoice in XTR.

Another amount is asked with a prompt the customer replies to (or `/topup 12.50` directly). Only
a reply to this customer's latest prompt is taken as an amount, so the handler can sit before the
order flow (FEATURES order) without ever taking its answers, and wins when a customer with an
order waiting for money replies to the prompt. Paying (pre-checkout, successful_payment, the
sweep of missed payments) is in topup_payments.py; the admin's /refund_stars in admin/stars.py.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import ForceReply, InlineKeyboardButton, LabeledPrice, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.config import Settings
from bot.domain import payments
from bot.domain.errors import LimitExceeded
from bot.domain.payments import Quote, TopupsOff
from bot.handlers import balance, topup_payments
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.money import parse_amount
from bot.payments.methods import Kind, enabled_methods
from bot.render import pay_views
from bot.render import topup_views as views
from bot.render.callbacks import BadCallback, pattern, unpack
from bot.render.menu_views import Tr
from bot.runtime import Runtime, runtime
from bot.telegram.prompts import PromptReplyHandler
from bot.telegram.screens import show

log = logging.getLogger(__name__)

COMMAND = "topup"
COMMANDS = [(COMMAND, N_("payments.cmd_topup"))]
PROMPT_KEY = "topup_prompt"  # user_data: message id of the customer's latest amount prompt
PRIVATE = filters.ChatType.PRIVATE


def top_up_button(rt: Runtime, tr: Tr) -> InlineKeyboardButton | None:
    """The Balance screen's hook: Top up, while any payment method is on (Stars, Crypto Pay, card, manual)."""
    return views.topup_button(tr) if enabled_methods(rt.settings) else None


async def send_invoice(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr, quote: Quote) -> None:
    """Record the invoice, then send it (XTR, no provider token); the record comes first on purpose.

    provider_token is left out, not "": PTB 22.8's ExtBot (with Defaults) sends an empty string
    as "[]", a provider token Telegram refuses for XTR; the parameter is optional for Stars.
    """
    rt = runtime(context)
    invoice = await payments.issue_invoice(rt.db, update.effective_user.id, quote)
    title, description, label = views.invoice_texts(tr, quote, rt.settings.shop.shop_currency)
    await context.bot.send_invoice(
        chat_id=update.effective_chat.id, title=title, description=description, payload=invoice.payload,
        currency=payments.STARS_CURRENCY, prices=[LabeledPrice(label, quote.stars)],
    )


async def invoice_for_text(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr, text: str) -> None:
    """An invoice for an amount the customer typed, or a line saying what is wrong with it."""
    rt = runtime(context)
    message = update.effective_message
    try:
        rate = payments.stars_rate(rt.settings.shop.stars_per_unit)
    except TopupsOff:  # no Stars: the other methods, if any, each ask their own amount
        if enabled_methods(rt.settings):
            await show(update, await topup_screen_for(rt, tr), edit=False)
        else:
            await message.reply_text(tr("payments.off"))
        return
    try:
        quote = payments.quote_amount(parse_amount(text), rate)
    except LimitExceeded:
        await message.reply_text(views.too_big_text(tr, payments.max_amount(rate), rt.settings.shop.shop_currency))
        return
    except ValueError:  # not a number, zero or negative
        await message.reply_text(views.bad_amount_text(tr))
        return
    context.user_data.pop(PROMPT_KEY, None)  # answered: a later reply to the same prompt is just text
    await send_invoice(update, context, tr, quote)


async def topup_screen_for(rt: Runtime, tr: Tr, *, stars_only: bool = False) -> views.Screen:
    """The Top up screen: the methods when more than Stars is on, else Stars' presets (or 'off')."""
    methods = enabled_methods(rt.settings)
    if not stars_only and any(m.kind != Kind.STARS for m in methods):
        return pay_views.methods_screen(tr, methods, rt.settings.payments.crypto_pay_assets)
    try:
        rate = payments.stars_rate(rt.settings.shop.stars_per_unit)
    except TopupsOff:
        return views.off_screen(tr)
    return views.topup_screen(tr, payments.preset_quotes(rate), rate, rt.settings.shop.shop_currency)


async def on_topup_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/topup: the Top up screen; /topup <amount>: an invoice for that amount at once."""
    _, tr = await customer_tr(update, context)
    if context.args:
        await invoice_for_text(update, context, tr, " ".join(context.args))
        return
    await show(update, await topup_screen_for(runtime(context), tr), edit=False)


async def on_topup_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """topup:menu, topup:stars:<n>, topup:custom."""
    _, tr = await customer_tr(update, context)
    rt = runtime(context)
    try:
        pressed = unpack(update.callback_query.data)
        if pressed.action == "menu":
            await answer(update)
            await show(update, await topup_screen_for(rt, tr))
            return
        rate = payments.stars_rate(rt.settings.shop.stars_per_unit)
        if pressed.action == "stars":
            stars = pressed.int_arg(0)
            if stars not in payments.PRESET_STARS:
                raise BadCallback("not a preset")
            await answer(update)
            await send_invoice(update, context, tr, payments.quote_stars(stars, rate))
        elif pressed.action == "custom":
            await answer(update)
            await ask_amount(update, context, tr)
        else:
            raise BadCallback("unknown action")
    except (BadCallback, LimitExceeded):
        await answer(update, tr("common.stale_button"))
    except TopupsOff:
        await answer(update, tr("payments.off"))


async def ask_amount(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr) -> None:
    """Ask for the amount with a reply prompt and remember which message it is."""
    currency = runtime(context).settings.shop.shop_currency
    sent = await update.effective_chat.send_message(
        views.amount_prompt(tr, currency),
        reply_markup=ForceReply(selective=True, input_field_placeholder=views.amount_placeholder(tr)))
    context.user_data[PROMPT_KEY] = sent.message_id


async def on_amount_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the amount prompt: an invoice for it."""
    _, tr = await customer_tr(update, context)
    await invoice_for_text(update, context, tr, update.effective_message.text or "")


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/topup, the top-up buttons, replies to the amount prompt, payments; the Balance screen's button."""
    application.add_handler(PromptReplyHandler(application, PROMPT_KEY, on_amount_reply))
    application.add_handler(CommandHandler(COMMAND, on_topup_command, filters=PRIVATE))
    application.add_handler(CallbackQueryHandler(on_topup_button, pattern=pattern(views.FEATURE)))
    topup_payments.register(application, settings)
    balance.balance_extra_buttons(application).append(top_up_button)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start the sweep that credits payments whose update never reached the bot."""
    await topup_payments.on_startup(application)
