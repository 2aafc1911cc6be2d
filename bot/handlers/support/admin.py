"""The admin group's side: answers relayed to customers, /tickets, /close, the card's buttons, reminders.

The relay is a MessageHandler in the admin guard's group (ADMIN_GROUP, before the sink that keeps
customer features out of the admin chat), filtered like every admin action: the admin chat,
ADMIN_IDS only, new messages only; never a command, a forward, an automatic forward, a service
message or a message sent via a bot. A message is an answer when it is written in a customer's
topic (checked first: in a forum every topic message also carries reply_to_message = the
topic's creation message), or when it replies to a message of a ticket (groups without topics,
or the General topic). Anything else is left alone, and the sink then stops it. Every relay is
written to the audit log with its outcome.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ContextTypes, MessageHandler, filters

from bot.domain import admin_users, customers, support
from bot.domain.stats import Period
from bot.domain.support import Ticket, TicketNotFound
from bot.handlers.admin import stats as admin_stats
from bot.handlers.admin import users as admin_users_handlers
from bot.handlers.admin.guard import (
    ADMIN_GROUP,
    AdminFilter,
    AdminRequest,
    Usage,
    admin_button,
    admin_command,
    audit,
    is_admin_update,
)
from bot.handlers.support import desk
from bot.handlers.support.state import relay_lock
from bot.i18n import N_
from bot.render import support_views as views
from bot.render.admin_views import ban_text, profile_text
from bot.render.callbacks import Callback
from bot.render.text import esc
from bot.runtime import Runtime, app_runtime, runtime
from bot.telegram.alerts import fit_message
from bot.telegram.notify import push_to_customer

log = logging.getLogger(__name__)

REMIND_JOB = "support-reminders"
REMIND_CHECK_SECONDS = 60


def relay_filter(application: Application) -> filters.BaseFilter:
    return (filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.FORWARDED & ~filters.IS_AUTOMATIC_FORWARD
            & ~filters.StatusUpdate.ALL & ~filters.VIA_BOT & AdminFilter(application))


async def ticket_of(rt: Runtime, message: Message) -> Ticket | None:
    """The ticket an admin's message answers, or None when it is not written to a ticket."""
    chat_id = message.chat_id
    if message.is_topic_message and message.message_thread_id:
        topic = await support.topic_by_thread(rt.db, chat_id, message.message_thread_id)
        return await support.latest_ticket(rt.db, topic.user_id) if topic is not None else None
    if message.reply_to_message is not None:
        return await support.ticket_of_message(rt.db, chat_id, message.reply_to_message.message_id)
    return None


async def on_admin_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin writes in the group (non-blocking; answers leave in the order they were written)."""
    async with relay_lock(context.application, "admins"):
        await _answer(update, context)


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """When the message answers a ticket, copy it to the customer."""
    rt, message = runtime(context), update.message
    if not is_admin_update(rt, update) or message is None:  # the filter said yes already; checked again
        return
    desk.note_chat(context.application, message.chat)
    ticket = await ticket_of(rt, message)
    if ticket is None:
        return
    req = AdminRequest(update, context, rt, "support_answer", [str(ticket.id)])
    outcome = "error"
    try:
        outcome = await desk.deliver_answer(context.application, rt, message, ticket)
    finally:
        await audit(req, outcome, ticket=ticket.id, user=ticket.user_id, message=message.message_id)
    if outcome == "blocked":
        await message.reply_text(req.tr("support.not_delivered_blocked"), do_quote=True)
    elif outcome != "delivered":
        await message.reply_text(req.tr("support.not_delivered", reason=esc(outcome, 200)), do_quote=True)


async def on_topic_closed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin closed a customer's topic in Telegram itself: that closes the open ticket too."""
    rt, message = runtime(context), update.message
    if not is_admin_update(rt, update) or message is None or not message.message_thread_id:
        return
    topic = await support.topic_by_thread(rt.db, message.chat_id, message.message_thread_id)
    ticket = await support.open_ticket_of(rt.db, topic.user_id) if topic is not None else None
    if ticket is None:
        return
    req = AdminRequest(update, context, rt, "close", [str(ticket.id)])
    outcome = "error"
    try:
        text = await close(req, ticket.id)
        outcome = "ok"
    finally:
        await audit(req, outcome, via="topic closed")
    await req.reply(text)


async def close(req: AdminRequest, ticket_id: int) -> str:
    """Close a ticket: its topic renamed and closed, the customer told."""
    ticket, changed = await support.close_ticket(req.rt.db, ticket_id, req.admin_id)
    if changed:
        bot = req.context.bot
        try:
            await desk.close_topic(bot, req.rt, req.rt.settings.admin.admin_chat_id, ticket.user_id)
        except TelegramError as exc:
            log.warning("support: topic of ticket %s not closed: %s", ticket.id, exc)
        try:
            await push_to_customer(bot, req.rt, ticket.user_id,
                                   lambda tr: [tr("support.closed_notice", ticket_id=ticket.id)], what="ticket closed")
        except TelegramError as exc:
            log.warning("support: customer of ticket %s not told it closed: %s", ticket.id, exc)
    return views.closed_text(req.tr, ticket, changed)


async def close_command(req: AdminRequest) -> str:
    """/close <ticket>, or /close alone inside a customer's topic."""
    message = req.update.effective_message
    if len(req.args) == 1:
        ticket_id = support.parse_ticket_id(req.args[0])
    elif not req.args and message is not None and message.is_topic_message:
        ticket = await ticket_of(req.rt, message)
        if ticket is None:
            raise Usage
        ticket_id = ticket.id
    else:
        raise Usage
    try:
        return await close(req, ticket_id)
    except TicketNotFound:
        return req.tr("support.no_ticket", ticket_id=ticket_id)


async def tickets_command(req: AdminRequest) -> str:
    """/tickets: open tickets with how long each has waited."""
    if req.args:
        raise Usage
    found = await support.open_tickets(req.rt.db)
    names = {}
    for ticket in found:
        user = await customers.get_customer(req.rt.db, ticket.user_id)
        names[ticket.user_id] = user.username if user else None
    return views.tickets_text(req.tr, found, names)


async def post_here(req: AdminRequest, text: str) -> None:
    """Post in the chat and topic of the pressed card."""
    message = req.update.effective_message
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    await req.context.bot.send_message(chat_id=req.update.effective_chat.id, text=fit_message(text),
                                       message_thread_id=thread)


async def on_close_button(req: AdminRequest, callback: Callback) -> None:
    try:
        text = await close(req, callback.int_arg(0))
    except (TicketNotFound, ValueError):
        await req.update.callback_query.answer()
        return
    await req.update.callback_query.answer()
    await post_here(req, text)


async def on_ban_button(req: AdminRequest, callback: Callback) -> None:
    user, changed = await admin_users.set_banned(req.rt.db, str(callback.int_arg(0)), True)
    await req.update.callback_query.answer()
    await post_here(req, ban_text(req.tr, user, True, changed))


async def on_user_button(req: AdminRequest, callback: Callback) -> None:
    """Open the customer: the /user card, in the topic."""
    found = await admin_users.profile(req.rt.db, str(callback.int_arg(0)))
    sections = admin_users_handlers.user_sections(req.context.application)
    extra = [line for section in sections for line in await section(req, found)]
    await req.update.callback_query.answer()
    await post_here(req, profile_text(req.tr, found, req.currency, extra))


async def stats_section(req: AdminRequest, period: Period) -> list[str]:
    """/stats: tickets opened, answered, median first-answer time."""
    return views.stats_lines(req.tr, await support.stats(req.rt.db, period.since(datetime.now(UTC))))


async def user_section(req: AdminRequest, profile: admin_users.UserProfile) -> list[str]:
    """/user (and Open the customer): the customer's open ticket, if any."""
    ticket = await support.open_ticket_of(req.rt.db, profile.user.id)
    return views.user_lines(req.tr, ticket)


async def remind(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """REMIND_JOB: tickets unanswered for SUPPORT_REMIND_MINUTES, reminded once in the group."""
    rt = runtime(context)
    chat_id = rt.settings.admin.admin_chat_id
    if chat_id is None:
        return
    tr = desk.admin_tr(rt)
    forum = None
    for ticket in await support.due_reminders(rt.db, rt.settings.support.support_remind_minutes):
        if forum is None:
            forum = await desk.is_forum(context.application, chat_id)
        topic = await support.topic_of(rt.db, chat_id, ticket.user_id) if forum else None
        user = await customers.get_customer(rt.db, ticket.user_id)
        try:
            await context.bot.send_message(chat_id=chat_id, text=views.reminder_text(tr, ticket, user and user.username),
                                           message_thread_id=topic.thread_id if topic else None)
        except TelegramError as exc:
            log.warning("support: reminder of ticket %s not posted: %s", ticket.id, exc)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(MessageHandler(relay_filter(application), on_admin_message, block=False),
                            group=ADMIN_GROUP)
    closed = filters.UpdateType.MESSAGE & filters.StatusUpdate.FORUM_TOPIC_CLOSED & AdminFilter(application)
    application.add_handler(MessageHandler(closed, on_topic_closed), group=ADMIN_GROUP)
    admin_command(application, "tickets", tickets_command, usage=N_("support.usage_tickets"))
    admin_command(application, "close", close_command, usage=N_("support.usage_close"))
    admin_button(application, "stclose", on_close_button)
    admin_button(application, "stban", on_ban_button)
    admin_button(application, "stuser", on_user_button)
    admin_stats.stats_sections(application).append(stats_section)
    admin_users_handlers.user_sections(application).append(user_section)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt = app_runtime(application)
    if application.job_queue is not None and rt.settings.support.support_remind_minutes > 0:
        application.job_queue.run_repeating(remind, interval=REMIND_CHECK_SECONDS, first=REMIND_CHECK_SECONDS,
                                            name=REMIND_JOB)
