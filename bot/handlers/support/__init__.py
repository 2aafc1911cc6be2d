"""The support desk: customers write to the shop from the chat, admins answer from the admin group.

customer.py  /support, Help → Contact support, Ask about this order, the customer's messages
state.py     what the desk keeps in a customer's user_data (which messages lead to support)
desk.py      the group's side of a ticket: forum detection, the customer's topic, card, copies
admin.py     answers relayed back, /tickets, /close, the card's buttons, reminders, /stats lines
Rules (one open ticket, waiting, reminders, figures) are bot/domain/support.py; SQL is
bot/storage/tickets.py; texts locales/*/support.po.

Listed in FEATURES before order_flow: a reply to a support message must reach support even in the
middle of an order, and it is the only kind of message this feature takes (state.py).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.config import Settings
from bot.handlers import my_orders, start
from bot.handlers.support import admin, customer
from bot.i18n import N_
from bot.render.callbacks import pattern
from bot.render.support_views import FEATURE

COMMANDS = [("support", N_("support.cmd_support"))]
ADMIN_COMMANDS = [("tickets", N_("support.cmd_tickets")), ("close", N_("support.cmd_close"))]


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Customer replies (before the order flow), /support, the buttons and hooks; the admin side."""
    reply_handler = customer.SupportReplyHandler(customer.on_support_message)
    reply_handler.application = application
    application.add_handler(reply_handler)
    # blocking: the prompt's id must be noted before the customer's reply to it is checked
    application.add_handler(CommandHandler("support", customer.on_support_command, filters=customer.PRIVATE))
    application.add_handler(CallbackQueryHandler(customer.on_support_button, pattern=pattern(FEATURE)))
    start.help_extra_buttons(application).append(customer.help_button)
    my_orders.card_extra_buttons(application).append(customer.order_button)
    admin.register(application)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await admin.on_startup(application)
