"""What a final status gives back, read only from that answer's own fields (never an older one).

| final status | plain orders | drip-feed (extras.runs) | subscriptions | packages |
|---|---|---|---|---|
| Completed | 0 | 0 | 0 | 0 |
| Refunded, Failed | the whole price | the whole price | the whole price | the whole price |
| Canceled | the whole price | price × remains ÷ quantity, else price × (runs − runs done) ÷ runs | price × (posts − posts done) ÷ posts | the whole price |
| Partial, Expired | price × remains ÷ quantity | as Canceled | as Canceled | held |

`remains` is read against the order's whole quantity (a drip-feed's quantity × runs). When the
answer lacks the field its row needs — missing, empty, fractional, text, negative, absurd, or
beyond the order (remains > quantity, runs done > runs, posts done > posts) — the order is held
for an admin: its status is stored, no money moves, and it is listed with the unknown orders
until `/resolve <id> refund [amount]`. What was already refunded (an admin's /refund) counts
toward the share due: the answer refunds max(0, due − refunded).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.refunds import share_of_price
from bot.panel.models import OrderState, OrderStatus, OrderType
from bot.panel.order_types import PACKAGE_TYPES
from bot.storage.orders import Order

_WHOLE_PRICE = (OrderStatus.REFUNDED, OrderStatus.FAILED)
_SHARE = (OrderStatus.PARTIAL, OrderStatus.EXPIRED)


@dataclass(frozen=True)
class Settlement:
    """The part of the price a final answer gives back in total, or why an admin must decide."""

    due: int = 0
    held: str | None = None


def _held(status: str, why: str) -> Settlement:
    return Settlement(held=f"held: {status}, {why}")


def _positive_int(value: object) -> int | None:
    try:
        number = int(value)  # extras are our own JSON: ints or digit strings
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def runs_total(order: Order) -> int | None:
    """A drip-feed order's runs as priced (None: not a drip-feed)."""
    return _positive_int(order.extras.get("runs"))


def posts_total(order: Order) -> int:
    """A subscription's posts as priced (posts + old posts; 0 when not counted)."""
    return (_positive_int(order.extras.get("posts")) or 0) + (_positive_int(order.extras.get("old_posts")) or 0)


def _from_remains(order: Order, remains: int | None) -> int | None:
    if remains is None or not 0 <= remains <= order.quantity or order.quantity <= 0:
        return None
    return share_of_price(order.price, remains, order.quantity)


def _from_done(order: Order, done: int | None, whole: int) -> int | None:
    if done is None or whole <= 0 or not 0 <= done <= whole:
        return None
    return share_of_price(order.price, whole - done, whole)


def settle(order: Order, status: str, state: OrderState) -> Settlement:
    """What the final `status` of answer `state` gives back of `order`'s price (before earlier refunds)."""
    if status == OrderStatus.COMPLETED:
        return Settlement(0)
    if status in _WHOLE_PRICE:
        return Settlement(order.price)
    if status not in (OrderStatus.CANCELED, *_SHARE):
        return Settlement(0)  # not a final status: nothing to settle
    if order.type is OrderType.SUBSCRIPTIONS:
        due = _from_done(order, state.posts, posts_total(order))
        return Settlement(due) if due is not None else _held(status, "posts done missing, unreadable or beyond the posts ordered")
    runs = runs_total(order)
    if runs is not None:
        due = _from_remains(order, state.remains)
        if due is None:
            due = _from_done(order, state.runs, runs)
        return Settlement(due) if due is not None else _held(status, "remains and runs done missing, unreadable or beyond the order")
    if status == OrderStatus.CANCELED:
        return Settlement(order.price)
    if order.type in PACKAGE_TYPES:
        return _held(status, "a package has no unit price")
    due = _from_remains(order, state.remains)
    return Settlement(due) if due is not None else _held(status, "remains missing, unreadable or beyond the quantity")
