"""My orders: the paginated list and the order card with Refresh / Refill / Cancel.

Buttons: `myo:list:<page>`, `myo:card:<order>:<page>`, `myo:<action>:<order>:<page>` with action
refresh | refill | cancel_ask | cancel; <page> is the list page to go back to. Which of Refill and
Cancel show is decided by the domain (bot/domain/order_requests.can_refill/can_cancel) and passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton

from bot.i18n import N_
from bot.money import format_money
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button, paged_keyboard
from bot.render.menu_views import ORDERS_FEATURE, Screen, Tr, esc, format_day, home_row, orders_page_data
from bot.render.order_views import AGAIN_ACTION, ENTRY_CALLBACK
from bot.render.order_views import FEATURE as ORDER_FEATURE
from bot.render.order_views_input import reason_text

if TYPE_CHECKING:
    from bot.storage.orders import Order
    from bot.storage.refills import Refill

MAX_LINK_CHARS = 200

# stored status word -> (icon, label id); `submitting` and `unknown` are ours, the rest OrderStatus
STATUSES: dict[str, tuple[str, str]] = {
    "submitting": ("⏳", N_("orders.status_submitting")),
    "unknown": ("❔", N_("orders.status_unknown")),
    "pending": ("🕓", N_("orders.status_pending")),
    "in_progress": ("🔄", N_("orders.status_in_progress")),
    "completed": ("✅", N_("orders.status_completed")),
    "partial": ("🌓", N_("orders.status_partial")),
    "canceled": ("🚫", N_("orders.status_canceled")),
    "refunded": ("↩️", N_("orders.status_refunded")),
    "failed": ("❌", N_("orders.status_failed")),
    "active": ("▶️", N_("orders.status_active")),
    "paused": ("⏸", N_("orders.status_paused")),
    "expired": ("⌛", N_("orders.status_expired")),
}
# a refill's stored status -> what the customer is told
REFILL_STATES = {
    "requested": N_("orders.refill_busy"), "pending": N_("orders.refill_busy"),
    "in_progress": N_("orders.refill_busy"), "completed": N_("orders.refill_done"),
    "rejected": N_("orders.refill_refused"), "canceled": N_("orders.refill_refused"),
    "refused": N_("orders.refill_refused"), "outcome_unknown": N_("orders.refill_unclear"),
    "not_sent": N_("orders.refill_unclear"),
}
CANCEL_STATES = {
    "requesting": N_("orders.cancel_busy"), "requested": N_("orders.cancel_busy"),
    "refused": N_("orders.cancel_refused"), "outcome_unknown": N_("orders.cancel_unclear"),
    "not_sent": N_("orders.cancel_unclear"),
}


def card_data(order_id: int, page: int) -> str:
    """Button data opening an order's card."""
    return pack(ORDERS_FEATURE, "card", order_id, page)


def action_data(action: str, order_id: int, page: int) -> str:
    """Button data of a card action (refresh, refill, cancel_ask, cancel)."""
    return pack(ORDERS_FEATURE, action, order_id, page)


def again_data(order_id: int) -> str:
    """Button data of Order again (an entry point of the New-order flow, FEATURE "ord")."""
    return pack(ORDER_FEATURE, AGAIN_ACTION, order_id)


def status_icon(status: str) -> str:
    return STATUSES.get(status, ("•", ""))[0]


def status_text(tr: Tr, status: str) -> str:
    """'✅ Completed' in the customer's language (an unexpected word is shown escaped)."""
    icon, msgid = STATUSES.get(status, ("•", ""))
    return f"{icon} {tr(msgid) if msgid else esc(status, 40)}"


def orders_list_screen(tr: Tr, orders: Sequence[Order], *, total: int, page: int, pages: int) -> Screen:
    """One page of the customer's orders, newest first, one button per order."""
    if total == 0:
        rows = [[button(tr("common.menu_new_order"), ENTRY_CALLBACK)], home_row(tr)]
        return Screen(tr("orders.empty"), build_keyboard(rows))
    buttons = [button(f"{status_icon(o.status)} #{o.id} · {o.service_name} · {o.quantity}", card_data(o.id, page))
               for o in orders]
    text = tr("orders.list_title", total=total)
    if pages > 1:
        text += "\n" + tr("common.page_counter", page=page + 1, pages=pages)
    return Screen(text, paged_keyboard(buttons, page=page, pages=pages, data_for_page=orders_page_data,
                                       footer_rows=[home_row(tr)]))


def _progress_lines(tr: Tr, order: Order) -> list[str]:
    """Start count, remains, drip-feed runs, subscription posts: whatever the panel told us."""
    lines = []
    if order.start_count is not None:
        lines.append(tr("orders.card_start_count", count=order.start_count))
    if order.remains is not None:
        lines.append(tr("orders.card_remains", count=order.remains))
    runs = order.extras.get("runs")
    if runs and order.runs_done is not None:
        lines.append(tr("orders.card_runs", done=order.runs_done, total=runs))
    posts = order.extras.get("posts")
    if order.posts_done is not None and posts:
        lines.append(tr("orders.card_posts", done=order.posts_done, total=posts))
    elif order.posts_done is not None:
        lines.append(tr("orders.card_posts_done", done=order.posts_done))
    return lines


def _state_lines(tr: Tr, order: Order, latest_refill: Refill | None, currency: str) -> list[str]:
    """Money given back, failure words, and where a refill or cancel request stands."""
    lines = []
    if order.refunded:
        lines.append(tr("orders.card_refunded", amount=format_money(order.refunded, currency)))
    if order.status == "unknown":
        lines.append(tr("orders.card_unknown_note"))
    # the panel's own words (fail_reason, cancel and refill messages) are for admins only: they can
    # name the supplier and its site; customers read our reason for the kind of refusal
    if order.status == "failed" and (order.fail_kind or order.fail_reason):
        lines.append(tr("orders.card_fail_reason", reason=reason_text(tr, order.fail_kind)))
    if order.cancel_state in CANCEL_STATES:
        lines.append(tr(CANCEL_STATES[order.cancel_state]))
    if latest_refill is not None and latest_refill.status in REFILL_STATES:
        lines.append(tr(REFILL_STATES[latest_refill.status]))
    return lines


def card_keyboard(tr: Tr, order: Order, page: int, *, can_refill: bool, can_cancel: bool,
                  confirm_cancel: bool = False, can_again: bool = False,
                  extra: Sequence[InlineKeyboardButton] = ()) -> list[list[InlineKeyboardButton]]:
    """Refresh, Refill and Cancel as allowed (or the cancel question), Order again, other features' buttons, back."""
    if confirm_cancel:
        return [[button(tr("orders.button_cancel_yes"), action_data("cancel", order.id, page)),
                 button(tr("orders.button_cancel_no"), card_data(order.id, page))]]
    actions = [button(tr("orders.button_refresh"), action_data("refresh", order.id, page))]
    if can_refill:
        actions.append(button(tr("orders.button_refill"), action_data("refill", order.id, page)))
    if can_cancel:
        actions.append(button(tr("orders.button_cancel"), action_data("cancel_ask", order.id, page)))
    back = [button(tr("orders.button_back_to_list"), orders_page_data(page)), *home_row(tr)]
    again = [[button(tr("order.button_again"), again_data(order.id))]] if can_again else []
    return [actions, *again, *([b] for b in extra), back]


def order_card_screen(tr: Tr, order: Order, *, lang: str, currency: str, page: int,
                      latest_refill: Refill | None = None, can_refill: bool = False, can_cancel: bool = False,
                      notice: str | None = None, confirm_cancel: bool = False, can_again: bool = False,
                      extra: Sequence[InlineKeyboardButton] = ()) -> Screen:
    """Everything a customer may know about one order; `notice` says what their last press did."""
    lines = [
        tr("orders.card_title", order_id=order.id, date=format_day(order.created_at, lang)),
        f"<b>{esc(order.service_name, 200)}</b>",
        tr("orders.card_status", status=status_text(tr, order.status)),
    ]
    if order.link:
        lines.append(tr("orders.card_link", link=esc(order.link, MAX_LINK_CHARS)))
    lines.append(tr("orders.card_quantity", quantity=order.quantity))
    lines.append(tr("orders.card_price", price=format_money(order.price, currency)))
    lines += _progress_lines(tr, order)
    lines += _state_lines(tr, order, latest_refill, currency)
    if confirm_cancel:
        lines += ["", tr("orders.cancel_question")]
    elif notice:
        lines += ["", notice]
    markup = build_keyboard(card_keyboard(tr, order, page, can_refill=can_refill, can_cancel=can_cancel,
                                          confirm_cancel=confirm_cancel, can_again=can_again, extra=extra))
    return Screen("\n".join(lines), markup)
