"""/start, the main menu, Help, free text outside a flow; the customer gate; helpers the menu features share.

The gate (a TypeHandler in GATE_GROUP, before every other group) runs for every update: it records
who writes and stops a banned customer with one polite line. The rules (what is stored when, whom
the ban stops: never admins, never payment messages) are bot/domain/customers.py's; the gate adds
the Telegram parts: which updates count, the first-contact hooks, the throttled ban notice.

The catch-alls (/cancel outside a flow, any other private message) are added in on_startup, after
every feature registered, so they come last in group 0 and never take a flow's update. A feature
that reads private messages must therefore register them in group 0 (the default).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.domain import customers
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.render.callbacks import BadCallback, pattern, unpack
from bot.render.menu_views import (
    MENU_FEATURE,
    Screen,
    Tr,
    help_screen,
    menu_screen,
    nothing_to_cancel_screen,
    private_only_screen,
    unknown_text_screen,
    welcome_screen,
)
from bot.runtime import Runtime, runtime
from bot.telegram.antiflood import FloodGuard, Verdict
from bot.telegram.hooks import hooks
from bot.telegram.language import keep_customer, language_resolver, user_language
from bot.telegram.screens import show

log = logging.getLogger(__name__)

COMMANDS = [("start", N_("common.cmd_start")), ("help", N_("common.cmd_help")),
            ("cancel", N_("common.cmd_cancel"))]

# first of all: before admin handlers (-3), the admin-chat sink (-2) and the flood guard (-1). A group
# runs only its first matching handler, so this TypeHandler must be alone in its group.
GATE_GROUP = -4
BAN_NOTICE_SECONDS = 60  # a banned customer is told at most once in this window
PRIVATE = filters.ChatType.PRIVATE
FirstContactHook = Callable[[Runtime, Update], Awaitable[None]]
HelpButton = Callable[[Runtime, Tr], InlineKeyboardButton | None]


def first_contact_hooks(application: Application[Any, Any, Any, Any, Any, Any]) -> list[FirstContactHook]:
    """This application's first-contact hooks, in the order features appended them in register().

    Other features act on a customer's very first update, before the gate records them (e.g. a referral
    link's /start): async (rt, update) -> None; they may write the customer's row; a failure is logged.
    """
    return hooks(application, "start.first_contact")


def help_extra_buttons(application: Application[Any, Any, Any, Any, Any, Any]) -> list[HelpButton]:
    """This application's Help-screen button hooks: (rt, tr) -> a button, or None to hide it."""
    return hooks(application, "start.help_buttons")


def _help(context: ContextTypes.DEFAULT_TYPE, tr: Tr) -> Screen:
    """Help with the other features' buttons (e.g. Contact support); a failing hook is logged and left out."""
    rt = runtime(context)
    extra = []
    for hook in help_extra_buttons(context.application):
        try:
            made = hook(rt, tr)
        except Exception:
            log.exception("help button hook %r failed", hook)
            continue
        if made is not None:
            extra.append(made)
    return help_screen(tr, rt.settings.shop.support_contact, extra)


def shop_url(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The Mini App's URL for the menu's "Open the shop" button (None while WEBAPP_URL is unset)."""
    return runtime(context).settings.webapp.page_url


# --- the gate ------------------------------------------------------------------------------------

def _written(update: Update) -> bool:
    """Updates that mean the customer is talking to us (not e.g. blocking the bot)."""
    return bool(update.message or update.edited_message or update.callback_query)


def _payment(update: Update) -> bool:
    message = update.message
    return bool(message and (message.successful_payment or message.refunded_payment))


async def _first_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run the application's first-contact hooks in order; a failing hook is logged and the others still run."""
    rt = runtime(context)
    for hook in first_contact_hooks(context.application):
        try:
            await hook(rt, update)
        except Exception:
            log.exception("first-contact hook %r failed", hook)


def group_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> list[str]:
    """Commands a feature serves in any group (e.g. /id): the gate lets them through outside private chats."""
    return hooks(application, "start.group_commands")


def _command_of(update: Update, bot_username: str | None) -> str | None:
    """'order' for "/order" or "/order@thisbot"; None for text, or a command addressed to another bot."""
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    command, _, addressee = message.text.split()[0][1:].partition("@")
    if addressee and (bot_username is None or addressee.casefold() != bot_username.casefold()):
        return None
    return command.casefold()


def customer_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> frozenset[str]:
    """Every command the customer features answer (CommandHandlers of groups ≥ 0, conversations included).

    Read from the handlers themselves, once they are all registered, so a new feature's command is
    covered without a list to keep; admin commands (group -3) are not in it.
    """
    cached = application.bot_data.get("start.customer_commands")
    if cached is None:
        found: set[str] = set()
        for group, handlers in application.handlers.items():
            for handler in handlers if group >= 0 else ():
                inner = ([*handler.entry_points, *handler.fallbacks, *(h for hs in handler.states.values() for h in hs)]
                         if isinstance(handler, ConversationHandler) else [handler])
                found |= {c for h in inner if isinstance(h, CommandHandler) for c in h.commands}
        cached = application.bot_data["start.customer_commands"] = frozenset(found)
    return cached


async def _outside_private_chats(update: Update, context: ContextTypes.DEFAULT_TYPE, notices: FloodGuard) -> None:
    """Customer features live in private chats: elsewhere a command gets one line and a way there.

    A confirmation card shows a balance and an order's link; in a public group that is someone
    else's business. The admin chat is the admin feature's (its handlers and sink come next), and
    commands a feature declared in group_commands pass.
    """
    chat, rt = update.effective_chat, runtime(context)
    if chat.id == rt.settings.admin.admin_chat_id:
        return
    command = _command_of(update, context.bot.username)
    if command is not None and command in group_commands(context.application):
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    elif command in customer_commands(context.application) and notices.check(chat.id) is Verdict.ALLOW:
        tr = rt.i18n.bind(await user_language(context, update.effective_user))
        await show(update, private_only_screen(tr, context.bot.username), edit=False)
    raise ApplicationHandlerStop


def make_gate() -> TypeHandler:
    """The GATE_GROUP handler; each application gets its own ban-notice and group-notice throttles."""
    notices = FloodGuard(1, BAN_NOTICE_SECONDS, max_tracked=10_000)
    group_notices = FloodGuard(1, BAN_NOTICE_SECONDS, max_tracked=10_000)

    async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Record who writes; stop a banned customer after one polite line."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or user.is_bot or not _written(update):
            return
        if chat is None:
            return
        if chat.type != chat.PRIVATE:  # customers shop in private chats; members of groups are not customers
            await _outside_private_chats(update, context, group_notices)
            return
        rt = runtime(context)
        row = await customers.record_contact(rt.db, user.id, user.username, user.language_code,
                                             resolve=language_resolver(rt),
                                             first_contact=lambda: _first_contact(update, context))
        keep_customer(context, row)  # the handlers after the gate take the language from it, not the DB
        if not customers.stopped_by_ban(row, is_admin=rt.is_admin(user.id), is_payment=_payment(update)):
            return
        text = rt.i18n.t(await user_language(context, user), "common.banned")
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200])
        elif notices.check(user.id) is Verdict.ALLOW:
            await chat.send_message(text)
        raise ApplicationHandlerStop

    return TypeHandler(Update, gate)


# --- handlers ------------------------------------------------------------------------------------

async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a short welcome in the customer's language and the main menu."""
    _, tr = await customer_tr(update, context)
    user = update.effective_user
    await show(update, welcome_screen(tr, user.first_name if user else None, shop_url(context)), edit=False)


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how the bot works."""
    _, tr = await customer_tr(update, context)
    await show(update, _help(context, tr), edit=False)


async def on_menu_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """menu:home and menu:help, shown in place of the pressed message."""
    _, tr = await customer_tr(update, context)
    try:
        action = unpack(update.callback_query.data).action
    except BadCallback:
        action = ""
    if action == "home":
        screen = menu_screen(tr, shop_url=shop_url(context))
    elif action == "help":
        screen = _help(context, tr)
    else:
        await answer(update, tr("common.stale_button"))
        return
    await answer(update)
    await show(update, screen)


async def on_cancel_outside_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel with no flow running: say so, and show the menu."""
    _, tr = await customer_tr(update, context)
    await show(update, nothing_to_cancel_screen(tr, shop_url(context)), edit=False)


async def on_anything_else(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text (or anything) in a private chat that no flow took: a hint and the menu, not silence."""
    _, tr = await customer_tr(update, context)
    await show(update, unknown_text_screen(tr, shop_url(context)), edit=False)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """The gate, /help and the menu's own buttons (/start comes in on_startup)."""
    application.add_handler(make_gate(), group=GATE_GROUP)
    application.add_handler(CommandHandler("help", on_help, filters=PRIVATE))
    application.add_handler(CallbackQueryHandler(on_menu_button, pattern=pattern(MENU_FEATURE)))


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add /start and the catch-alls now, so they come after every feature's handlers in group 0.

    /start after the order conversation lets the conversation's own /start fallback end a running flow.
    """
    application.add_handler(CommandHandler("start", on_start, filters=PRIVATE))
    application.add_handler(CommandHandler("cancel", on_cancel_outside_flow, filters=PRIVATE))
    typed = filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL & ~filters.SUCCESSFUL_PAYMENT
    application.add_handler(MessageHandler(PRIVATE & typed, on_anything_else))
