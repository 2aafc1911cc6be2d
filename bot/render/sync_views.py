"""Texts of the background sync: order and refill news for customers, alerts for the admin chat.

HTML parse mode; panel words, service names and errors are escaped here. Several updates for one
customer (or several alerts) are joined into as few messages as Telegram's 4096 characters allow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain.sync_events import (
    PROGRESS_POSTS,
    PROGRESS_RUNS,
    OrderUpdate,
    RefillUpdate,
    StatusMisses,
    UnknownOrders,
)
from bot.i18n import N_
from bot.money import format_money
from bot.render.text import esc

Tr = Callable[..., str]
ListAlert = StatusMisses | UnknownOrders

MESSAGE_LIMIT = 4096
MAX_SERVICE_CHARS = 100

# status word (or progress kind) -> message id; anything else reads as sync.status_other
ORDER_TEXTS = {
    "in_progress": N_("sync.started"), "completed": N_("sync.completed"), "partial": N_("sync.partial"),
    "canceled": N_("sync.canceled"), "refunded": N_("sync.refunded"), "failed": N_("sync.failed"),
    "expired": N_("sync.expired"), "active": N_("sync.active"), "paused": N_("sync.paused"),
    PROGRESS_RUNS: N_("sync.progress_runs"), PROGRESS_POSTS: N_("sync.progress_posts"),
}
REFILL_TEXTS = {
    "in_progress": N_("sync.refill_in_progress"), "completed": N_("sync.refill_completed"),
    "rejected": N_("sync.refill_rejected"), "canceled": N_("sync.refill_canceled"),
}
_STOPPED = ("canceled", "refunded", "failed")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "?"


def order_text(tr: Tr, update: OrderUpdate, currency: str) -> str:
    """One order's news in the customer's language."""
    msgid = ORDER_TEXTS.get(update.kind, N_("sync.status_other"))
    if update.kind == PROGRESS_POSTS and update.posts_total is None:
        msgid = N_("sync.progress_posts_open")
    lines = [tr(msgid, order_id=update.order_id, service=esc(update.service_name, MAX_SERVICE_CHARS),
                status=esc(update.kind), remains=update.remains if update.remains is not None else "?",
                done=update.runs_done if update.kind == PROGRESS_RUNS else update.posts_done,
                total=update.runs_total if update.kind == PROGRESS_RUNS else update.posts_total)]
    if update.kind == "in_progress" and update.start_count is not None:
        lines.append(tr("sync.start_count", start_count=update.start_count))
    if update.kind not in (PROGRESS_RUNS, PROGRESS_POSTS):
        if update.runs_total is not None and update.runs_done is not None:
            lines.append(tr("sync.runs_line", done=update.runs_done, total=update.runs_total))
        if update.posts_done is not None:
            lines.append(tr("sync.posts_line", done=update.posts_done))
    if update.refund > 0:
        lines.append(tr("sync.refund_line", amount=format_money(update.refund, currency)))
    if update.held:
        lines.append(tr("settlement.customer_held"))
    if update.cancel_asked and update.kind not in (PROGRESS_RUNS, PROGRESS_POSTS, "in_progress", "active"):
        lines.append(tr("sync.cancel_done" if update.kind in _STOPPED else "sync.cancel_too_late"))
    return "\n".join(lines)


def refill_text(tr: Tr, update: RefillUpdate) -> str:
    """One refill's news in the customer's language."""
    msgid = REFILL_TEXTS.get(update.status, N_("sync.refill_other"))
    return tr(msgid, order_id=update.order_id, service=esc(update.service_name, MAX_SERVICE_CHARS),
              status=esc(update.status))


def customer_texts(tr: Tr, updates: Sequence[OrderUpdate | RefillUpdate], currency: str) -> list[str]:
    """Every update for one customer, in as few messages as fit."""
    parts = [order_text(tr, u, currency) if isinstance(u, OrderUpdate) else refill_text(tr, u) for u in updates]
    return pack(parts, "\n\n")


def _unknown_lines(tr: Tr, alert: UnknownOrders, currency: str) -> list[str]:
    if not alert.orders:
        return [tr("sync.admin_unknown_none")]
    head = tr("sync.admin_unknown_reminder" if alert.reminder else "sync.admin_unknown", total=alert.total)
    lines = [head] + [
        tr("settlement.admin_held_line" if o.held else "sync.admin_unknown_line", order_id=o.order_id, panel=esc(o.panel), user_id=o.user_id,
           service=esc(o.service_name, 60), price=format_money(o.price, currency), created=_when(o.created_at),
           reason=esc(o.reason or "?", 120))
        for o in alert.orders
    ]
    if alert.total > len(alert.orders):
        lines.append(tr("sync.admin_more", count=alert.total - len(alert.orders)))
    return lines


def alert_lines(tr: Tr, alert: ListAlert, currency: str) -> list[str]:
    """A listing alert as lines (a long list may be split between messages at line ends).

    Panel down/up and low balance are worded by bot/telegram/alerts.py (admin.po), not here.
    """
    if isinstance(alert, StatusMisses):
        return [tr("sync.admin_misses", panel=esc(alert.panel), count=alert.orders[0].misses)] + [
            tr("sync.admin_miss_line", order_id=o.order_id, panel_order_id=esc(o.panel_order_id, 40),
               message=esc(o.message, 120))
            for o in alert.orders
        ]
    if isinstance(alert, UnknownOrders):
        return _unknown_lines(tr, alert, currency)
    raise TypeError(f"not an alert: {type(alert).__name__}")


def admin_texts(tr: Tr, alerts: Sequence[ListAlert], currency: str) -> list[str]:
    """Alerts for the admin chat, in as few messages as fit (separate alerts stay apart)."""
    blocks = [chunk for alert in alerts for chunk in pack(alert_lines(tr, alert, currency), "\n")]
    return pack(blocks, "\n\n")


def pack(parts: Sequence[str], separator: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Parts joined with `separator` into messages of at most `limit` characters (a part is never split
    unless it alone is too long; then it is cut with an ellipsis)."""
    messages: list[str] = []
    current = ""
    for part in parts:
        if len(part) > limit:
            part = part[: limit - 1] + "…"  # never happens with our texts; a safe cut just in case
        if current and len(current) + len(separator) + len(part) <= limit:
            current += separator + part
            continue
        if current:
            messages.append(current)
        current = part
    if current:
        messages.append(current)
    return messages
