"""The customer's New-order conversation, wired in one place: /order or the main menu's
New order button → platform/category/service (or search) → card → fields → confirmation → placed.

One flat, persistent ConversationHandler (name "new_order"): nested ones cannot time out, and a
restart must resume at the same step (the step's data lives in user_data, see order_flow/state).
per_message=False because the flow mixes buttons and typed text; buttons are instead tied to
their screen by the flow nonce and screen number they carry.

Slow panels: Confirm's handler runs with block=False. The Application then goes on with other
updates at once (other customers are answered while this `add` waits on the panel), and the
ConversationHandler parks this customer in a pending state whose updates go to the WAITING
handlers ("still placing") until the placing task ends. We did not choose
`concurrent_updates`: it would run *every* handler concurrently, so two quick updates of one
customer could read and write the same conversation state and flow dict at once; block=False
confines concurrency to the one step that waits, with PTB's WAITING state covering its window.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.config import Settings
from bot.handlers.common import refuse_button, translator
from bot.handlers.order_flow.again import start_again
from bot.handlers.order_flow.browse import cancel_flow, on_browse_button, on_browse_text
from bot.handlers.order_flow.channel import channel_ok, on_joined
from bot.handlers.order_flow.confirm import on_confirm, on_waiting_button, on_waiting_message
from bot.handlers.order_flow.fields import on_confirm_text, on_field_button, on_field_other, on_field_text
from bot.handlers.order_flow.mass import on_mass_button, on_mass_confirm, on_mass_text, start_mass
from bot.handlers.order_flow.screens import present
from bot.handlers.order_flow.state import BROWSE, CONFIRM, FIELD, MASS, end_flow, new_flow
from bot.handlers.start import on_start
from bot.i18n import N_
from bot.render.callbacks import pack, pattern
from bot.render.channel_views import JOINED_CALLBACK
from bot.render.mass_views import MASS_COMMAND
from bot.render.order_views import AGAIN_ACTION, ENTRY_CALLBACK, ENTRY_COMMAND, FEATURE

__all__ = ["COMMANDS", "CONVERSATION_NAME", "ENTRY_CALLBACK", "ENTRY_COMMAND", "build_conversation", "register"]

CONVERSATION_NAME = "new_order"
COMMANDS = [(ENTRY_COMMAND, N_("order.cmd_order")), (MASS_COMMAND, N_("mass.cmd_mass"))]
_CONFIRM_PATTERN = "^" + re.escape(pack(FEATURE, "confirm")) + ":"
_MASS_CONFIRM_PATTERN = "^" + re.escape(pack(FEATURE, "massgo")) + ":"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """/order or the New order button: a fresh flow at the platform list (any older flow is dropped)."""
    if not await channel_ok(update, context):
        return ConversationHandler.END
    if update.callback_query is not None:
        await update.callback_query.answer()
    flow = new_flow(context.user_data)
    return await present(update, context, flow, edit=False)


async def on_timeout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """No answer for conversation_timeout_seconds: forget the flow and say so."""
    end_flow(context.user_data)
    tr = await translator(update, context)
    if update.effective_chat is not None:
        await update.effective_chat.send_message(tr("order.timed_out"))


async def leave_for_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/start during the flow: leave it, so later typed text is not read as a step's answer."""
    end_flow(context.user_data)
    await on_start(update, context)
    return ConversationHandler.END


async def on_stray_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A flow button that fits no step: from an ended flow, pressed twice, or forged."""
    await refuse_button(update, await translator(update, context))


def build_conversation(timeout_seconds: float) -> ConversationHandler:
    """The New-order ConversationHandler; PTB ends it after `timeout_seconds` without an answer.

    PTB's timeout job does not survive a restart, so the flow also keeps its own idle clock
    (order_flow.state.live_flow) on the same setting.
    """
    buttons = pattern(FEATURE)
    typed = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # per_message=False is deliberate (buttons and typed text); each button carries its screen's tag instead
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return _conversation(buttons, typed, timeout_seconds)


def _conversation(buttons: str, typed: filters.BaseFilter, timeout_seconds: float) -> ConversationHandler:
    """Every state of the flow and the handlers that move it."""
    return ConversationHandler(
        entry_points=[CommandHandler(ENTRY_COMMAND, start), CommandHandler(MASS_COMMAND, start_mass),
                      CallbackQueryHandler(start, pattern="^" + re.escape(ENTRY_CALLBACK) + "$"),
                      CallbackQueryHandler(start_again, pattern="^" + re.escape(pack(FEATURE, AGAIN_ACTION)) + ":"),
                      CallbackQueryHandler(on_joined, pattern="^" + re.escape(JOINED_CALLBACK) + "$")],
        states={
            BROWSE: [CallbackQueryHandler(on_browse_button, pattern=buttons),
                     MessageHandler(typed, on_browse_text)],
            FIELD: [MessageHandler(typed, on_field_text),
                    MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, on_field_other),
                    CallbackQueryHandler(on_field_button, pattern=buttons)],
            CONFIRM: [CallbackQueryHandler(on_confirm, pattern=_CONFIRM_PATTERN, block=False),
                      CallbackQueryHandler(on_field_button, pattern=buttons),
                      MessageHandler(typed, on_confirm_text)],
            MASS: [CallbackQueryHandler(on_mass_confirm, pattern=_MASS_CONFIRM_PATTERN, block=False),
                   CallbackQueryHandler(on_mass_button, pattern=buttons),
                   MessageHandler(typed, on_mass_text)],
            ConversationHandler.WAITING: [
                CallbackQueryHandler(on_waiting_button, pattern=buttons),
                CommandHandler([ENTRY_COMMAND, MASS_COMMAND, "cancel"], on_waiting_message),
                MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, on_waiting_message)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
        },
        fallbacks=[CommandHandler("cancel", cancel_flow), CommandHandler("start", leave_for_menu),
                   CallbackQueryHandler(on_stray_button, pattern=buttons)],
        allow_reentry=True,
        per_message=False,
        persistent=True,
        name=CONVERSATION_NAME,
        conversation_timeout=timeout_seconds,
    )


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Add the conversation, then a catch-all that refuses flow buttons outside it."""
    application.add_handler(build_conversation(settings.telegram.conversation_timeout_seconds))
    application.add_handler(CallbackQueryHandler(on_stray_button, pattern=pattern(FEATURE)))

