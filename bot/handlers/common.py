"""Helpers every customer-facing handler shares: the customer's translator and answering a button.

One home for them (they used to live in start.py and the order flow's state module), so a feature
never imports another feature just to speak the customer's language.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.render.menu_views import Tr
from bot.runtime import runtime
from bot.telegram.language import user_language


async def customer_tr(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, Tr]:
    """The customer's language and a `tr(msgid, **params)` bound to it."""
    lang = await user_language(context, update.effective_user)
    return lang, runtime(context).i18n.bind(lang)


async def translator(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Tr:
    """`tr(msgid, **params)` in the language of the customer behind this update."""
    return (await customer_tr(update, context))[1]


async def answer(update: Update, text: str | None = None) -> None:
    """Stop the pressed button's spinner, with a short toast when `text` is given."""
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200] if text else None)


async def refuse_button(update: Update, tr: Tr) -> None:
    """Answer a stale or forged button politely; nothing else happens."""
    await answer(update, tr("common.stale_button"))
