"""Texts of the operators' group about customers, money, orders and the audit trail (HTML).

Everything a customer, an admin or a panel wrote is escaped here (`esc`), nowhere else; texts
come from locales/*/admin.po in the shop's default language. Statistics, panels, catalogue and
broadcast texts are in admin_reports.py.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.domain.admin_catalogue import TargetNotFound
from bot.domain.admin_orders import OrderDetails, OrderInState, OrderNotFound, PanelOrderTaken, RefundTooLarge
from bot.domain.admin_users import AmbiguousCustomer, CustomerNotFound, UserProfile
from bot.domain.errors import DomainError, InsufficientBalance
from bot.money import format_money
from bot.render.text import esc
from bot.storage.audit import AuditEntry
from bot.storage.orders import OUTCOME_UNKNOWN, Order
from bot.storage.users import User

Tr = Callable[..., str]

MAX_RAW_ANSWER_CHARS = 1500


def plain(text_html: str) -> str:
    """An HTML text as plain text (for a button's pop-up answer, which has no parse mode)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text_html))


def when(moment: datetime | None, never: str = "—") -> str:
    """'2024-05-01 12:30' (UTC) or `never`."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else never


def customer_label(user_id: int, username: str | None = None) -> str:
    """'42 (@name)' or '42' (plain text)."""
    return f"{user_id} (@{username})" if username else str(user_id)


def customer(user_id: int, username: str | None = None) -> str:
    """customer_label, escaped."""
    return esc(customer_label(user_id, username))


def user_label(user: User) -> str:
    return customer(user.id, user.username)


def lines(*parts: str | None) -> str:
    """The non-empty parts, one per line."""
    return "\n".join(p for p in parts if p)


# --- help and usage ---------------------------------------------------------------------------

def help_text(tr: Tr, usages: Iterable[str]) -> str:
    """/help: every admin command's usage line (usages are message ids)."""
    return lines(tr("admin.help_title"), *(tr(msgid) for msgid in usages))


def usage_text(tr: Tr, usage: str) -> str:
    return lines(tr("admin.usage_intro"), tr(usage))


def refusal_text(tr: Tr, exc: DomainError, currency: str) -> str:
    """Why a domain rule said no, in the admins' language (the English message as a fallback)."""
    if isinstance(exc, AmbiguousCustomer):
        return tr("admin.ambiguous_customer", query=esc(exc.query, 64),
                  candidates=", ".join(str(c) for c in exc.candidates))
    if isinstance(exc, CustomerNotFound):
        return tr("admin.no_customer", query=esc(exc.query, 64))
    if isinstance(exc, OrderNotFound):
        return tr("admin.no_order", order_id=exc.order_id)
    if isinstance(exc, OrderInState):
        msgid = "admin.use_resolve" if exc.status == OUTCOME_UNKNOWN else "admin.order_state"
        msgid = "settlement.use_resolve" if exc.held else msgid
        return tr(msgid, order_id=exc.order_id, status=esc(exc.status))
    if isinstance(exc, RefundTooLarge):
        if exc.left == 0:
            return tr("admin.refunded_already", order_id=exc.order_id)
        return tr("admin.refund_too_large", order_id=exc.order_id, left=format_money(exc.left, currency))
    if isinstance(exc, PanelOrderTaken):
        return tr("admin.panel_order_taken", panel_order_id=esc(exc.panel_order_id, 64))
    if isinstance(exc, TargetNotFound):
        return tr("admin.no_target", target=esc(exc.target, 64))
    if isinstance(exc, InsufficientBalance):
        return tr("admin.insufficient", balance=format_money(exc.balance, currency),
                  amount=format_money(exc.needed, currency))
    return tr("admin.refused", reason=esc(exc))


# --- customers and money ----------------------------------------------------------------------

def order_line(tr: Tr, order: Order, currency: str) -> str:
    return tr("admin.user_order_line", order_id=order.id, status=esc(order.status), service=esc(order.service_name, 80),
              price=format_money(order.price, currency), date=when(order.created_at))


def profile_text(tr: Tr, found: UserProfile, currency: str, extra: Sequence[str] = ()) -> str:
    """/user: who, language, seen, flags, balance, latest orders (plus other features' sections)."""
    user = found.user
    name = f"@{user.username}" if user.username else str(user.id)
    orders = found.orders
    return lines(
        tr("admin.user_title", name=esc(name), user_id=user.id),
        tr("admin.user_details", language=esc(user.language or "—"), first_seen=when(user.first_seen),
           last_seen=when(user.last_seen)),
        tr("admin.user_banned") if user.banned else None,
        tr("admin.user_blocked") if user.blocked else None,
        tr("admin.user_balance", balance=format_money(found.balance, currency)),
        tr("admin.user_orders", total=orders.total) if orders.total else tr("admin.user_no_orders"),
        *(order_line(tr, order, currency) for order in orders.items),
        *extra,
    )


def adjusted_text(tr: Tr, user: User, amount: int, balance: int, currency: str, *, credit: bool,
                  told: bool | None = None) -> str:
    """The reply to /credit or /debit."""
    msgid = "admin.credited" if credit else "admin.debited"
    told_line = None if told is None else tr("admin.customer_told" if told else "admin.customer_not_told")
    return lines(tr(msgid, amount=format_money(amount, currency), customer=user_label(user),
                    balance=format_money(balance, currency)), told_line)


def ban_text(tr: Tr, user: User, banned: bool, changed: bool) -> str:
    msgid = {(True, True): "admin.banned", (True, False): "admin.already_banned",
             (False, True): "admin.unbanned", (False, False): "admin.already_unbanned"}[(banned, changed)]
    return tr(msgid, customer=user_label(user))


# --- orders -----------------------------------------------------------------------------------

def raw_answer(answer: dict[str, Any] | None) -> str:
    """The panel's last raw answer as pretty JSON, cut to fit."""
    text = json.dumps(answer, ensure_ascii=False, indent=1, default=str)
    return esc(text, MAX_RAW_ANSWER_CHARS)


def order_text(tr: Tr, found: OrderDetails, currency: str) -> str:
    """/order: the stored order, its refills, its money and the panel's last raw answer."""
    order = found.order
    money = functools.partial(format_money, currency=currency)
    optional = [
        tr("settlement.order_held", order_id=order.id, reason=esc(order.held, 200)) if order.held else None,
        tr("admin.order_failed", kind=esc(order.fail_kind or "—"), reason=esc(order.fail_reason or "—"))
        if order.fail_kind or order.fail_reason else None,
        tr("admin.order_progress", runs=esc(order.runs_done), posts=esc(order.posts_done))
        if order.runs_done is not None or order.posts_done is not None else None,
        tr("admin.order_cancel", state=esc(order.cancel_state), message=esc(order.cancel_message or ""))
        if order.cancel_state else None,
    ]
    refills = [tr("admin.order_refill", refill_id=r.id, status=esc(r.status), message=esc(r.message or ""))
               for r in found.refills]
    ledger = [tr("admin.order_money_line", date=when(e.created_at), kind=esc(e.kind), amount=money(e.amount),
                 note=esc(e.note or "", 80)) for e in found.money]
    answer = (tr("admin.order_raw", answer=raw_answer(order.last_answer)) if order.last_answer
              else tr("admin.order_no_answer"))
    return lines(
        tr("admin.order_card", order_id=order.id, status=esc(order.status), customer=customer(order.user_id),
           panel=esc(order.panel), service_id=esc(order.service_id), service=esc(order.service_name),
           type=esc(order.type), link=esc(order.link or "—"), quantity=order.quantity, price=money(order.price),
           refunded=money(order.refunded), panel_order_id=esc(order.panel_order_id or "—"),
           panel_charge=esc(order.panel_charge if order.panel_charge is not None else "—"),
           start_count=esc(order.start_count if order.start_count is not None else "—"),
           remains=esc(order.remains if order.remains is not None else "—"),
           created=when(order.created_at), updated=when(order.updated_at)),
        *optional, *refills, *ledger, answer,
    )


def refunded_text(tr: Tr, order: Order, amount: int, currency: str) -> str:
    return tr("admin.refunded", amount=format_money(amount, currency), order_id=order.id,
              refunded=format_money(order.refunded, currency), price=format_money(order.price, currency))


def unknown_text(tr: Tr, orders: Sequence[Order], currency: str) -> str:
    """/unknown: orders awaiting reconciliation, oldest first, with how to settle them."""
    if not orders:
        return tr("admin.unknown_none")
    return lines(
        tr("admin.unknown_title", count=len(orders)),
        *(tr("admin.unknown_line", order_id=o.id, panel=esc(o.panel), service=esc(o.service_name, 80),
             price=format_money(o.price, currency), customer=customer(o.user_id), created=when(o.created_at),
             reason=esc(o.held or o.fail_reason or "—", 120)) for o in orders),
        tr("admin.unknown_hint"),
    )


def resolved_text(tr: Tr, order: Order) -> str:
    return tr("admin.resolved_linked", order_id=order.id, panel_order_id=esc(order.panel_order_id))


def resolved_refund_text(tr: Tr, order: Order, amount: int, currency: str) -> str:
    msgid = "admin.resolved_refunded" if order.status == "failed" else "settlement.settled"  # else: was held
    return tr(msgid, order_id=order.id, amount=format_money(amount, currency))


# --- audit ------------------------------------------------------------------------------------

def audit_text(tr: Tr, entries: Sequence[AuditEntry]) -> str:
    """/audit: the newest admin actions first."""
    if not entries:
        return tr("admin.audit_none")
    return lines(tr("admin.audit_title"), *(
        tr("admin.audit_line", when=when(e.created_at), admin=e.admin_id, action=esc(e.action),
           arguments=esc(" ".join(str(a) for a in e.arguments.get("args", [])), 120),
           outcome=esc(e.arguments.get("outcome", "")))
        for e in entries))
