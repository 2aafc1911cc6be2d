"""Language: /language or the menu button → the shipped languages by their own names → stored, menu re-drawn.

The choice is stored by customers.choose_language and wins over Telegram's language_code from then
on (also for background messages). Only languages that have catalogues can be chosen; other button
data is refused as stale.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.config import Settings
from bot.domain import customers
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.render.callbacks import BadCallback, pattern, unpack
from bot.render.menu_views import LANGUAGE_FEATURE, Screen, language_screen, menu_screen
from bot.runtime import Runtime, runtime
from bot.telegram.screens import show

COMMANDS = [("language", N_("menu.cmd_language"))]


def languages_screen(rt: Runtime, lang: str) -> Screen:
    """The shipped languages, the customer's current one ticked, in the customer's language."""
    shipped = [(code, rt.i18n.language_name(code)) for code in rt.i18n.languages]
    return language_screen(rt.i18n.bind(lang), shipped, lang)


async def on_language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: the language keyboard as a new message."""
    lang, _ = await customer_tr(update, context)
    await show(update, languages_screen(runtime(context), lang), edit=False)


async def on_language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """lang:list shows the keyboard; lang:set:<code> stores the choice and shows the menu in it."""
    rt, (lang, tr) = runtime(context), await customer_tr(update, context)
    try:
        callback = unpack(update.callback_query.data)
        if callback.action == "list":
            await answer(update)
            await show(update, languages_screen(rt, lang))
            return
        if callback.action != "set":
            raise BadCallback("unknown action")
        code = callback.arg(0)
    except BadCallback:
        await answer(update, tr("common.stale_button"))
        return
    if not await customers.choose_language(rt.db, update.effective_user.id, code, rt.i18n.languages):
        await answer(update, tr("common.stale_button"))  # not a shipped language: forged or outdated button
        return
    chosen = rt.i18n.bind(code)
    await answer(update)
    notice = chosen("menu.language_changed", language=rt.i18n.language_name(code))
    await show(update, menu_screen(chosen, notice, rt.settings.webapp.page_url))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/language and the language buttons."""
    application.add_handler(CommandHandler("language", on_language_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_language_button, pattern=pattern(LANGUAGE_FEATURE)))
