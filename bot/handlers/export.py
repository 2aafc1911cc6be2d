"""/export: the customer gets two CSV files, their orders and their ledger (private chat only)."""

from __future__ import annotations

from typing import Any

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.config import Settings
from bot.domain import exports
from bot.handlers.common import customer_tr
from bot.i18n import N_
from bot.runtime import runtime

COMMANDS = [("export", N_("export.cmd_export"))]


async def on_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Build both files from the customer's own rows and send them."""
    rt, (_, tr) = runtime(context), await customer_tr(update, context)
    user_id, currency = update.effective_user.id, rt.settings.shop.shop_currency
    chat = update.effective_chat
    orders_file = await exports.orders_csv(rt.db, user_id, currency)
    ledger_file = await exports.ledger_csv(rt.db, user_id, currency)
    await chat.send_document(InputFile(orders_file, filename="orders.csv"), caption=tr("export.orders_caption"))
    await chat.send_document(InputFile(ledger_file, filename="ledger.csv"), caption=tr("export.ledger_caption"))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    application.add_handler(CommandHandler("export", on_export, filters=filters.ChatType.PRIVATE))
