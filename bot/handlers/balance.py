"""Balance: /balance or the menu button → the balance and the latest ledger entries.

Other features put their buttons on this screen (Top up, Promo code...) by appending to the
application's balance_extra_buttons in their register():

    def top_up_button(rt: Runtime, tr: Tr) -> InlineKeyboardButton | None:
        return button(tr("topup.button"), pack("topup", "start")) if rt.settings... else None
    balance.balance_extra_buttons(application).append(top_up_button)

Each hook is called with the Runtime and the customer's `tr`; returning None hides the button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.config import Settings
from bot.domain import wallet
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.render.callbacks import BadCallback, pattern, unpack
from bot.render.menu_views import BALANCE_FEATURE, Screen, Tr
from bot.render.wallet_views import HISTORY_SHOWN, balance_screen
from bot.runtime import Runtime, runtime
from bot.telegram.hooks import hooks
from bot.telegram.screens import show

log = logging.getLogger(__name__)

COMMANDS = [("balance", N_("wallet.cmd_balance"))]

BalanceButton = Callable[[Runtime, Tr], InlineKeyboardButton | None]


def balance_extra_buttons(application: Application[Any, Any, Any, Any, Any, Any]) -> list[BalanceButton]:
    """This application's Balance-screen button hooks, in the order features appended them."""
    return hooks(application, "balance.extra_buttons")


def extra_buttons(application: Application[Any, Any, Any, Any, Any, Any], rt: Runtime,
                  tr: Tr) -> list[InlineKeyboardButton]:
    """The other features' buttons for this customer; a failing hook is logged and left out."""
    found = []
    for hook in balance_extra_buttons(application):
        try:
            made = hook(rt, tr)
        except Exception:
            log.exception("balance button hook %r failed", hook)
            continue
        if made is not None:
            found.append(made)
    return found


async def wallet_screen(context: ContextTypes.DEFAULT_TYPE, lang: str, tr: Tr, user_id: int) -> Screen:
    """The customer's balance screen as it stands now."""
    rt = runtime(context)
    balance = await wallet.balance(rt.db, user_id)
    entries = await wallet.history(rt.db, user_id, limit=HISTORY_SHOWN)
    return balance_screen(tr, balance, entries, currency=rt.settings.shop.shop_currency, lang=lang,
                          extra_buttons=extra_buttons(context.application, rt, tr))


async def on_balance_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/balance: the balance screen as a new message."""
    lang, tr = await customer_tr(update, context)
    await show(update, await wallet_screen(context, lang, tr, update.effective_user.id), edit=False)


async def on_balance_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """bal:show: the balance screen in place of the pressed message."""
    lang, tr = await customer_tr(update, context)
    try:
        if unpack(update.callback_query.data).action != "show":
            raise BadCallback("unknown action")
    except BadCallback:
        await answer(update, tr("common.stale_button"))
        return
    screen = await wallet_screen(context, lang, tr, update.effective_user.id)
    await answer(update)
    await show(update, screen)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/balance and the Balance button."""
    application.add_handler(CommandHandler("balance", on_balance_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_balance_button, pattern=pattern(BALANCE_FEATURE)))
