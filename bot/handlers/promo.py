"""Promo codes for customers: `/promo <CODE>`, or Balance → Promo code → a reply with the code.

As with top-up's amount prompt, only a text reply to this customer's latest promo prompt is
taken as a code, so the handler can sit before the order flow (FEATURES order) without ever
taking a flow's answers. Guessing is slowed twice: the anti-flood guard drops bursts, and the
domain refuses a customer after too many failed attempts (bot/domain/promo.py).
Admins' `/promo add|list|off` live in bot/handlers/admin/promo.py (admin chat only).
"""

from __future__ import annotations

from typing import Any

from telegram import ForceReply, InlineKeyboardButton, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.config import Settings
from bot.domain import promo
from bot.handlers import balance
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.render import growth_views as views
from bot.render.callbacks import BadCallback, pattern, unpack
from bot.render.menu_views import Tr
from bot.runtime import Runtime, runtime
from bot.telegram.prompts import PromptReplyHandler

COMMAND = "promo"
COMMANDS = [(COMMAND, N_("growth.cmd_promo"))]
PROMPT_KEY = "promo_prompt"  # user_data: message id of the customer's latest promo prompt
PRIVATE = filters.ChatType.PRIVATE


def promo_button(rt: Runtime, tr: Tr) -> InlineKeyboardButton | None:
    """The Balance screen's hook: Promo code, always there."""
    return views.promo_button(tr)


async def redeem_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Try the typed code and say how it went (credited, or why not)."""
    _, tr = await customer_tr(update, context)
    rt = runtime(context)
    context.user_data.pop(PROMPT_KEY, None)  # answered: a later reply to the same prompt is just text
    result = await promo.redeem(rt.db, update.effective_user.id, text)
    await update.effective_message.reply_text(views.promo_answer(tr, result, rt.settings.shop.shop_currency),
                                              parse_mode=ParseMode.HTML, reply_markup=views.back_markup(tr))


async def ask_code(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for the code with a reply prompt and remember which message it is."""
    _, tr = await customer_tr(update, context)
    sent = await update.effective_chat.send_message(
        views.promo_prompt(tr),
        reply_markup=ForceReply(selective=True, input_field_placeholder=tr("growth.promo_placeholder")))
    context.user_data[PROMPT_KEY] = sent.message_id


async def on_promo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/promo <CODE>: redeem it; /promo alone: ask for it."""
    if context.args:
        await redeem_text(update, context, " ".join(context.args))
    else:
        await ask_code(update, context)


async def on_promo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """promo:ask: the prompt."""
    try:
        if unpack(update.callback_query.data).action != "ask":
            raise BadCallback("unknown action")
    except BadCallback:
        _, tr = await customer_tr(update, context)
        await answer(update, tr("common.stale_button"))
        return
    await answer(update)
    await ask_code(update, context)


async def on_code_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the promo prompt: redeem what it says."""
    await redeem_text(update, context, update.effective_message.text or "")


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Replies to the prompt, /promo, the prompt button, and the Balance screen's button."""
    application.add_handler(PromptReplyHandler(application, PROMPT_KEY, on_code_reply))
    application.add_handler(CommandHandler(COMMAND, on_promo_command, filters=PRIVATE))
    application.add_handler(CallbackQueryHandler(on_promo_button, pattern=pattern(views.PROMO_FEATURE)))
    balance.balance_extra_buttons(application).append(promo_button)
