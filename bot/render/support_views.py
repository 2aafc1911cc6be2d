"""Texts and buttons of the support desk (locales/*/support.po), both sides.

Customer buttons: `sup:new` (Contact support, Write more, Reply) and `sup:ask:<order id>` (Ask
about this order). Admin buttons go through the admin guard: `adm:stclose:<ticket>`,
`adm:stban:<user>`, `adm:stuser:<user>`. Customer and admin text is escaped here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.admin_users import UserProfile
from bot.domain.support import SupportStats, Ticket, waiting_for
from bot.money import format_money
from bot.render.admin_reports import BUTTONS
from bot.render.admin_views import customer, lines, order_line
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button
from bot.render.text import esc
from bot.storage.orders import Order

Tr = Callable[..., str]

FEATURE = "sup"
NEW_DATA = pack(FEATURE, "new")
TOPIC_NAME_CHARS = 128  # Telegram's limit for a topic name
CLOSED_MARK = "✅ "


def ask_data(order_id: int) -> str:
    return pack(FEATURE, "ask", order_id)


# --- customer side -------------------------------------------------------------------------------

def contact_button(tr: Tr) -> InlineKeyboardButton:
    return button(tr("support.button_contact"), NEW_DATA)


def ask_order_button(tr: Tr, order_id: int) -> InlineKeyboardButton:
    return button(tr("support.button_ask_order"), ask_data(order_id))


def prompt(tr: Tr, order_id: int | None) -> tuple[str, ForceReply]:
    """The prompt the customer answers by replying (their client opens the reply by itself)."""
    text = tr("support.prompt_order", order_id=order_id) if order_id is not None else tr("support.prompt")
    return text, ForceReply(selective=True, input_field_placeholder=tr("support.placeholder")[:64])


def ack(tr: Tr, ticket: Ticket, created: bool) -> tuple[str, InlineKeyboardMarkup]:
    text = tr("support.ack_new", ticket_id=ticket.id) if created else tr("support.ack", ticket_id=ticket.id)
    return text, build_keyboard([[button(tr("support.button_write_more"), NEW_DATA)]])


def reply_markup(tr: Tr) -> InlineKeyboardMarkup:
    """Under the shop's answers: write back."""
    return build_keyboard([[button(tr("support.button_reply"), NEW_DATA)]])


def answer_header(tr: Tr, admin_name: str | None) -> str:
    """The line heading the shop's answer (the admin's name only when the operator allows it)."""
    if admin_name:
        return tr("support.answer_header_named", name=esc(admin_name, 64))
    return tr("support.answer_header")


# --- admin side ----------------------------------------------------------------------------------

def topic_name(name: str, user_id: int) -> str:
    """'Anna · 42', within Telegram's 128 characters."""
    suffix = f" · {user_id}"
    return " ".join(name.split())[: TOPIC_NAME_CHARS - len(suffix) - len(CLOSED_MARK)] + suffix


def closed_topic_name(name: str) -> str:
    return CLOSED_MARK + name


def card_markup(tr: Tr, ticket: Ticket) -> InlineKeyboardMarkup:
    """Close · Ban · Open the customer."""
    return build_keyboard([
        [button(tr("support.button_close"), pack(BUTTONS, "stclose", ticket.id)),
         button(tr("support.button_ban"), pack(BUTTONS, "stban", ticket.user_id))],
        [button(tr("support.button_user"), pack(BUTTONS, "stuser", ticket.user_id))],
    ])


def card_text(tr: Tr, ticket: Ticket, name: str, profile: UserProfile, attached: Order | None,
              currency: str) -> str:
    """The first post of a ticket: who, language, balance, latest orders, the order asked about."""
    user = profile.user
    orders = profile.orders
    return lines(
        tr("support.card_title", ticket_id=ticket.id, name=esc(name, 64)),
        tr("support.card_customer", user_id=user.id, username=esc(f"@{user.username}" if user.username else "—"),
           language=esc(user.language or "—")),
        tr("support.card_balance", balance=format_money(profile.balance, currency)),
        tr("support.card_orders") if orders.total else tr("support.card_no_orders"),
        *(order_line(tr, order, currency) for order in orders.items),
        attached_text(tr, attached, currency) if attached is not None else None,
    )


def attached_text(tr: Tr, order: Order, currency: str) -> str:
    return lines(tr("support.card_attached", order_id=order.id), order_line(tr, order, currency))


def header_text(tr: Tr, ticket: Ticket, name: str, username: str | None) -> str:
    """Above each customer message copied into a group without topics."""
    return tr("support.header", ticket_id=ticket.id, name=esc(name, 64), customer=customer(ticket.user_id, username))


def duration(tr: Tr, span: timedelta) -> str:
    """'<1 min', '35 min', '2 h 5 min', '3 d 4 h'."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return tr("support.less_than_minute")
    if minutes < 60:
        return tr("support.minutes", minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return tr("support.hours", hours=hours, minutes=minutes)
    days, hours = divmod(hours, 24)
    return tr("support.days", days=days, hours=hours)


def tickets_text(tr: Tr, found: Sequence[Ticket], usernames: dict[int, str | None]) -> str:
    """/tickets: open tickets, the longest waiting first."""
    if not found:
        return tr("support.tickets_none")
    rows = []
    for ticket in found:
        who = customer(ticket.user_id, usernames.get(ticket.user_id))
        wait = waiting_for(ticket)
        if wait is None:
            rows.append(tr("support.tickets_line_answered", ticket_id=ticket.id, customer=who))
        else:
            rows.append(tr("support.tickets_line_waiting", ticket_id=ticket.id, customer=who, wait=duration(tr, wait)))
    return lines(tr("support.tickets_title", count=len(found)), *rows, tr("support.tickets_hint"))


def reminder_text(tr: Tr, ticket: Ticket, username: str | None) -> str:
    wait = waiting_for(ticket) or timedelta(0)
    return tr("support.reminder", ticket_id=ticket.id, customer=customer(ticket.user_id, username),
              wait=duration(tr, wait))


def closed_text(tr: Tr, ticket: Ticket, changed: bool) -> str:
    return tr("support.closed" if changed else "support.already_closed", ticket_id=ticket.id)


def stats_lines(tr: Tr, found: SupportStats) -> list[str]:
    median = duration(tr, found.median_first_answer) if found.median_first_answer is not None else "—"
    return [tr("support.stats_line", opened=found.opened, answered=found.answered, median=median)]


def user_lines(tr: Tr, ticket: Ticket | None) -> list[str]:
    """/user: the open ticket and whether it waits."""
    if ticket is None:
        return []
    wait = waiting_for(ticket)
    if wait is None:
        return [tr("support.user_ticket_answered", ticket_id=ticket.id)]
    return [tr("support.user_ticket_waiting", ticket_id=ticket.id, wait=duration(tr, wait))]
