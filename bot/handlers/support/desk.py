"""The admin group's side of a ticket: forum or not, the customer's topic, the card, the copies.

Forum groups (topics on): one topic per customer (created with createForumTopic, reused by
their later tickets: closed and renamed "✅ …" when a ticket closes, reopened and renamed back
by the customer's next message); customer messages are copied into it. Other groups: each
customer message is copied with a header naming the customer and the ticket; a reply to either
finds the ticket. Whether the group is a forum comes from getChat (`is_forum`), cached for
FORUM_TTL_SECONDS and corrected by every admin-group message (its Chat carries `is_forum`) and
by a createForumTopic refused with "not a forum".
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import Bot, Chat, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.domain import admin_users, lookups, support
from bot.domain.support import Ticket
from bot.handlers.support.state import remember_messages
from bot.render import support_views as views
from bot.runtime import Runtime
from bot.storage import users
from bot.telegram.alerts import fit_message
from bot.telegram.language import language_for

log = logging.getLogger(__name__)

FORUM_KEY = "support.forum"  # bot_data: (chat id, is_forum, monotonic time of the answer)
FORUM_TTL_SECONDS = 600
MAX_TEXT, MAX_CAPTION = 4096, 1024
CAPTIONED = ("photo", "video", "document", "audio", "voice", "animation")


def admin_tr(rt: Runtime) -> Any:
    """Texts in the admin group are in DEFAULT_LOCALE."""
    return rt.i18n.bind(rt.default_language)


# --- is the group a forum? -------------------------------------------------------------------------

def note_chat(application: Application, chat: Chat | None) -> None:
    """Remember what an admin-group update says of the group (a message's Chat carries is_forum)."""
    if chat is not None and chat.type == Chat.SUPERGROUP:
        application.bot_data[FORUM_KEY] = (chat.id, bool(chat.is_forum), time.monotonic())


def forget_forum(application: Application, chat_id: int, is_forum: bool = False) -> None:
    application.bot_data[FORUM_KEY] = (chat_id, is_forum, time.monotonic())


async def is_forum(application: Application, chat_id: int) -> bool:
    """Whether the admin group has topics on: cached, else asked with getChat (False if that fails)."""
    cached = application.bot_data.get(FORUM_KEY)
    if cached and cached[0] == chat_id and time.monotonic() - cached[2] < FORUM_TTL_SECONDS:
        return cached[1]
    try:
        chat = await application.bot.get_chat(chat_id)
    except TelegramError as exc:
        log.warning("could not ask whether the admin group is a forum: %s", exc)
        return bool(cached and cached[0] == chat_id and cached[1])
    forget_forum(application, chat_id, bool(chat.is_forum))
    return bool(chat.is_forum)


# --- the customer's topic ----------------------------------------------------------------------------

def _not_modified(exc: BadRequest) -> bool:
    return "topic_not_modified" in str(exc).lower()


def _thread_gone(exc: BadRequest) -> bool:
    text = str(exc).lower()
    return "thread not found" in text or "topic_id_invalid" in text or "topic_deleted" in text


async def ensure_topic(bot: Bot, rt: Runtime, chat_id: int, user_id: int, name: str) -> tuple[int, bool]:
    """The customer's topic thread id (created or reopened as needed), and whether it is new."""
    topic = await support.topic_of(rt.db, chat_id, user_id)
    if topic is None:
        title = views.topic_name(name, user_id)
        created = await bot.create_forum_topic(chat_id=chat_id, name=title)
        await support.save_topic(rt.db, chat_id, user_id, created.message_thread_id, title)
        return created.message_thread_id, True
    if topic.closed:
        for call in (lambda: bot.reopen_forum_topic(chat_id=chat_id, message_thread_id=topic.thread_id),
                     lambda: bot.edit_forum_topic(chat_id=chat_id, message_thread_id=topic.thread_id, name=topic.name)):
            try:
                await call()
            except BadRequest as exc:
                if _thread_gone(exc):
                    await support.forget_topic(rt.db, chat_id, user_id)
                    return await ensure_topic(bot, rt, chat_id, user_id, name)
                if not _not_modified(exc):
                    raise
        await support.set_topic_closed(rt.db, chat_id, user_id, False)
    return topic.thread_id, False


async def close_topic(bot: Bot, rt: Runtime, chat_id: int, user_id: int) -> None:
    """Rename the customer's topic "✅ …" and close it (nothing when they have none)."""
    topic = await support.topic_of(rt.db, chat_id, user_id)
    if topic is None or topic.closed:
        return
    for call in (lambda: bot.edit_forum_topic(chat_id=chat_id, message_thread_id=topic.thread_id,
                                              name=views.closed_topic_name(topic.name)),
                 lambda: bot.close_forum_topic(chat_id=chat_id, message_thread_id=topic.thread_id)):
        try:
            await call()
        except BadRequest as exc:  # TOPIC_NOT_MODIFIED: already so (e.g. an admin closed it in Telegram)
            if _thread_gone(exc):
                await support.forget_topic(rt.db, chat_id, user_id)
                return
            if not _not_modified(exc):
                raise
    await support.set_topic_closed(rt.db, chat_id, user_id, True)


# --- customer → group --------------------------------------------------------------------------------

async def post_card(bot: Bot, rt: Runtime, chat_id: int, thread_id: int | None, ticket: Ticket, name: str) -> None:
    """The ticket's customer card (with Close / Ban / Open the customer) in the topic or the group."""
    tr = admin_tr(rt)
    profile = await admin_users.profile(rt.db, str(ticket.user_id))
    attached = await lookups.user_order(rt.db, ticket.user_id, ticket.order_id) if ticket.order_id else None
    text = views.card_text(tr, ticket, name, profile, attached, rt.settings.shop.shop_currency)
    sent = await bot.send_message(chat_id=chat_id, text=fit_message(text), message_thread_id=thread_id,
                                  reply_markup=views.card_markup(tr, ticket))
    await support.record_messages(rt.db, ticket.id, support.CARD, chat_id, [sent.message_id])


async def relay_to_group(application: Application, rt: Runtime, message: Message, touch: support.Touch,
                         name: str, username: str | None) -> None:
    """Copy a customer's message into their topic (forum) or, with a header, into the group."""
    bot, chat_id, ticket = application.bot, rt.settings.admin.admin_chat_id, touch.ticket
    # a card opens every ticket (also one whose first message never reached the group) and follows a new order
    thread_id = None
    card_due = touch.order_attached or not await support.card_posted(rt.db, ticket.id, chat_id)
    if await is_forum(application, chat_id):
        try:
            thread_id, new_topic = await ensure_topic(bot, rt, chat_id, ticket.user_id, name)
            card_due = card_due or new_topic
        except BadRequest as exc:  # topics off since the cache was filled, or no right to manage them
            log.warning("support: no topic for ticket %s (%s); writing in the group instead", ticket.id, exc)
            forget_forum(application, chat_id, False)
            card_due = True
    if card_due:
        await post_card(bot, rt, chat_id, thread_id, ticket, name)
    posted = []
    if thread_id is None:
        header = await bot.send_message(chat_id=chat_id, text=views.header_text(admin_tr(rt), ticket, name, username))
        posted.append(header.message_id)
    try:
        copy = await bot.copy_message(chat_id=chat_id, from_chat_id=message.chat_id, message_id=message.message_id,
                                      message_thread_id=thread_id)
    except BadRequest as exc:
        if thread_id is None or not _thread_gone(exc):
            raise
        await support.forget_topic(rt.db, chat_id, ticket.user_id)  # deleted by hand: make a new one
        thread_id, _ = await ensure_topic(bot, rt, chat_id, ticket.user_id, name)
        await post_card(bot, rt, chat_id, thread_id, ticket, name)
        copy = await bot.copy_message(chat_id=chat_id, from_chat_id=message.chat_id, message_id=message.message_id,
                                      message_thread_id=thread_id)
    await support.record_messages(rt.db, ticket.id, support.COPY, chat_id, [*posted, copy.message_id],
                                  author_id=ticket.user_id)
    await support.record_messages(rt.db, ticket.id, support.CUSTOMER, message.chat_id, [message.message_id],
                                  author_id=ticket.user_id)


# --- group → customer --------------------------------------------------------------------------------

async def send_headed(bot: Bot, user_id: int, message: Message, header: str, markup: Any) -> list[int]:
    """The admin's message in the customer's chat under `header`: one message where it fits, else two."""
    if message.text:
        text = f"{header}\n\n{message.text_html}"
        if len(header) + 2 + len(message.text) <= MAX_TEXT:
            sent = await bot.send_message(chat_id=user_id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return [sent.message_id]
    elif any(getattr(message, kind) for kind in CAPTIONED):
        caption = f"{header}\n\n{message.caption_html}" if message.caption else header
        if len(header) + 2 + len(message.caption or "") <= MAX_CAPTION:
            copied = await bot.copy_message(chat_id=user_id, from_chat_id=message.chat_id,
                                            message_id=message.message_id, caption=caption,
                                            parse_mode=ParseMode.HTML, reply_markup=markup)
            return [copied.message_id]
    head = await bot.send_message(chat_id=user_id, text=header)
    copied = await bot.copy_message(chat_id=user_id, from_chat_id=message.chat_id, message_id=message.message_id,
                                    reply_markup=markup)
    return [head.message_id, copied.message_id]


async def deliver_answer(application: Application, rt: Runtime, message: Message, ticket: Ticket) -> str:
    """Copy an admin's message to the ticket's customer; 'delivered', 'blocked' or 'failed: <reason>'."""
    user_id = ticket.user_id
    tr = rt.i18n.bind(await language_for(rt, user_id))
    shown = message.from_user.first_name if rt.settings.support.support_show_admin_name and message.from_user else None
    try:
        sent = await send_headed(application.bot, user_id, message, views.answer_header(tr, shown),
                                 views.reply_markup(tr))
    except Forbidden:
        async with rt.db.transaction() as conn:
            await users.set_blocked(conn, user_id, True)
        return "blocked"
    except BadRequest as exc:
        return f"failed: {exc.message}"
    remember_messages(application, user_id, sent)  # first: the customer may reply at once
    await support.answered(rt.db, ticket.id)
    author = message.from_user.id if message.from_user else None
    await support.record_messages(rt.db, ticket.id, support.ANSWER, message.chat_id, [message.message_id], author)
    await support.record_messages(rt.db, ticket.id, support.DELIVERED, user_id, sent, author)
    return "delivered"
