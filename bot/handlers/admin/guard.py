"""Who may act as an operator, how admin commands and buttons are registered, and their audit.

Only users in ADMIN_IDS, inside the group ADMIN_CHAT_ID, reach an admin action. Anyone else
(a customer, a group member who is not an admin, an admin in a private chat) gets nothing
from it: the command falls through to the customer features as an unknown word would.

    from bot.handlers.admin.guard import AdminRequest, Usage, admin_button, admin_command

    async def refund_stars(req: AdminRequest) -> str | None:
        if len(req.args) != 1:
            raise Usage                      # the guard replies with the usage line
        ...                                  # a DomainError becomes "⛔ <its message>"
        return req.tr("payments.refunded")   # replied in the admin chat (HTML); None: nothing

    def register(application, settings):
        admin_command(application, "refund_stars", refund_stars, usage=N_("payments.usage_refund_stars"))

Handlers live in group ADMIN_GROUP, before every customer feature and the flood guard; a
TypeHandler in SINK_GROUP then stops every update from the admin chat, so customer features
never answer there (a non-admin's /order in the group gets silence, not the order flow).
Commands react to new messages only: editing an old `/credit` message must not credit again.
Every admin command and button press is written to the audit log with its arguments and outcome.
/help lists the usage of every command registered here, by any feature.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    TypeHandler,
    filters,
)

from bot.domain.admin_audit import record_action
from bot.domain.errors import DomainError
from bot.render.admin_reports import BUTTONS
from bot.render.admin_views import plain, refusal_text, usage_text
from bot.render.callbacks import BadCallback, Callback, unpack
from bot.runtime import RUNTIME_KEY, Runtime, runtime
from bot.telegram.alerts import fit_message

log = logging.getLogger(__name__)

ADMIN_GROUP = -3  # admin commands and buttons: before the flood guard (-1) and every feature (0)
SINK_GROUP = -2  # then nothing else handles updates from the admin chat
# forwards and messages sent through an inline bot are never an admin's own command
RELAYED = filters.FORWARDED | filters.IS_AUTOMATIC_FORWARD | filters.VIA_BOT


class Usage(Exception):
    """Wrong arguments: the guard replies with the command's usage line."""


def is_relayed(message: Message | None) -> bool:
    """A forward, an automatic forward from a linked channel, or a message sent through an inline bot.

    Such a message carries someone else's words under an admin's name: an admin forwarding a
    customer's "/credit 42 100" into the group must not credit it.
    """
    return message is not None and (message.forward_origin is not None or bool(message.is_automatic_forward)
                                    or message.via_bot is not None)


def is_admin_update(rt: Runtime, update: Update) -> bool:
    """Whether this update comes from an admin (ADMIN_IDS) inside the admin chat (ADMIN_CHAT_ID), typed by them."""
    user, chat = update.effective_user, update.effective_chat
    chat_id = rt.settings.admin.admin_chat_id
    if update.callback_query is None and is_relayed(update.effective_message):
        return False
    return user is not None and chat is not None and chat_id is not None and chat.id == chat_id \
        and rt.is_admin(user.id)


class AdminFilter(filters.UpdateFilter):
    """filters.Chat(ADMIN_CHAT_ID) & filters.User(ADMIN_IDS) of the running application.

    Features register handlers before the settings reach the application (post_init), so the
    pair is built from the Runtime on first use, and again if the Runtime is replaced.
    """

    def __init__(self, application: Application) -> None:
        super().__init__(name="AdminFilter")
        self._application = application
        self._built_for: Runtime | None = None
        self._check: filters.BaseFilter = filters.Chat()  # empty: matches nothing

    def filter(self, update: Update) -> bool:
        rt = self._application.bot_data.get(RUNTIME_KEY)
        if rt is None:
            return False
        if rt is not self._built_for:
            admin = rt.settings.admin
            chat = filters.Chat(chat_id=admin.admin_chat_id) if admin.admin_chat_id is not None else filters.Chat()
            self._check, self._built_for = chat & filters.User(user_id=admin.admin_ids), rt
        return bool(self._check.check_update(update))


@dataclass
class AdminRequest:
    """One admin action: who, where, the arguments, and the texts in the shop's language."""

    update: Update
    context: CallbackContext
    rt: Runtime
    action: str
    args: list[str] = field(default_factory=list)

    @property
    def admin_id(self) -> int:
        return self.update.effective_user.id

    @cached_property
    def tr(self) -> Callable[..., str]:
        """Admin texts are in DEFAULT_LOCALE."""
        return self.rt.i18n.bind(self.rt.default_language)

    @property
    def currency(self) -> str:
        return self.rt.settings.shop.shop_currency

    async def reply(self, text: str, **kwargs: Any) -> Message:
        """Answer in the admin chat (HTML, cut to fit one message), in the forum topic it was asked in."""
        message = self.update.effective_message
        if message is not None and message.is_topic_message and "message_thread_id" not in kwargs:
            kwargs["message_thread_id"] = message.message_thread_id
        return await self.context.bot.send_message(chat_id=self.update.effective_chat.id, text=fit_message(text),
                                                   **kwargs)


AdminAction = Callable[[AdminRequest], Awaitable[str | None]]
ButtonAction = Callable[[AdminRequest, Callback], Awaitable[None]]


async def audit(req: AdminRequest, outcome: str, *, action: str | None = None, **extra: Any) -> None:
    """Write the audit row of `req` (or of a later `action` it started); never raises."""
    try:
        await record_action(req.rt.db, req.admin_id, action or req.action,
                            {"args": req.args, "outcome": outcome, **extra})
    except Exception:  # the action already happened; a lost audit row must not hide its answer
        log.exception("could not write the audit row of /%s", action or req.action)


def _command_callback(name: str, action: AdminAction, usage: str) -> Callable[..., Awaitable[None]]:
    async def run(update: Update, context: CallbackContext) -> None:
        rt = runtime(context)
        if not is_admin_update(rt, update):  # the filter said yes already; checked again on purpose
            return
        req = AdminRequest(update, context, rt, name, list(context.args or []))
        outcome, text = "error", None
        try:
            text = await action(req)
            outcome = "ok"
        except Usage:
            outcome, text = "usage", usage_text(req.tr, usage)
        except DomainError as exc:
            outcome, text = "refused", refusal_text(req.tr, exc, req.currency)
        finally:
            await audit(req, outcome)
        if text:
            await req.reply(text)

    run.admin_usage = usage  # type: ignore[attr-defined] - /help reads it
    return run


def admin_command(application: Application, name: str, action: AdminAction, *, usage: str,
                  block: bool = True) -> CommandHandler:
    """Register /name for admins in the admin chat; block=False for actions that wait on a panel."""
    handler = CommandHandler(name, _command_callback(name, action, usage),
                             filters=filters.UpdateType.MESSAGE & ~RELAYED & AdminFilter(application),
                             block=block)
    application.add_handler(handler, group=ADMIN_GROUP)
    return handler


def _button_callback(name: str, action: ButtonAction) -> Callable[..., Awaitable[None]]:
    async def run(update: Update, context: CallbackContext) -> None:
        rt, query = runtime(context), update.callback_query
        if not is_admin_update(rt, update):
            await query.answer()  # a forged or foreign press: stop the spinner, say nothing
            return
        try:
            callback = unpack(query.data)
        except BadCallback:
            await query.answer()
            return
        req = AdminRequest(update, context, rt, f"button:{name}", list(callback.args))
        outcome = "error"
        try:
            await action(req, callback)
            outcome = "ok"
        except DomainError as exc:
            outcome = "refused"
            await query.answer(plain(refusal_text(req.tr, exc, req.currency))[:200], show_alert=True)
        finally:
            await audit(req, outcome)

    return run


def admin_button(application: Application, action: str, callback: ButtonAction) -> CallbackQueryHandler:
    """Register the admin button `adm:<action>:...`; the callback answers the query itself."""
    handler = CallbackQueryHandler(_button_callback(action, callback), pattern=rf"^{BUTTONS}:{action}(:|$)")
    application.add_handler(handler, group=ADMIN_GROUP)
    return handler


async def _sink(update: Update, context: CallbackContext) -> None:
    """Nothing after the admin handlers sees an update from the admin chat."""
    chat = update.effective_chat
    rt = context.application.bot_data.get(RUNTIME_KEY)
    if chat is not None and rt is not None and chat.id == rt.settings.admin.admin_chat_id:
        raise ApplicationHandlerStop


def install_sink(application: Application) -> None:
    """Add the SINK_GROUP handler (once, by the admin feature)."""
    application.add_handler(TypeHandler(Update, _sink), group=SINK_GROUP)


def command_usages(application: Application) -> list[tuple[str, str]]:
    """(command, usage msgid) of every admin command registered, in registration order."""
    found = []
    for handler in application.handlers.get(ADMIN_GROUP, []):
        usage = getattr(handler.callback, "admin_usage", None)
        if isinstance(handler, CommandHandler) and usage:
            found += [(command, usage) for command in sorted(handler.commands)]
    return found
