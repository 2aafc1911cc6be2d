"""What the background sync tells people: customer updates and admin alerts, and which changes count.

Plain data, no Telegram: bot/telegram/sync_job.py delivers them, bot/render/sync_views.py words them.
Only real news becomes an update: a new status, or drip-feed runs / subscription posts moving on.
Start counts and remains changing under an unchanged status are stored but not pushed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from bot.domain.order_requests import RefillChange
from bot.domain.statuses import StatusChange
from bot.panel.models import OrderType
from bot.storage.orders import Order
from bot.storage.sync_orders import OpenOrder

# cancel_state words meaning the customer asked to cancel and the panel may have taken it
CANCEL_ASKED = ("requesting", "requested", "outcome_unknown")
PROGRESS_RUNS = "runs"  # kind of an update that only moves drip-feed runs on
PROGRESS_POSTS = "posts"  # ... or subscription posts


@dataclass(frozen=True)
class OrderUpdate:
    """News about one order for its customer. `kind`: the new status word, or runs / posts."""

    order_id: int
    user_id: int
    kind: str
    service_name: str
    refund: int  # minor units given back by this change
    start_count: int | None = None
    remains: int | None = None
    runs_done: int | None = None
    runs_total: int | None = None
    posts_done: int | None = None
    posts_total: int | None = None
    cancel_asked: bool = False  # the customer had asked to cancel: say how that ended
    held: bool = False  # the final status waits for an admin to settle what is refunded
    status: str = ""  # the order's status after the change (for mark_notified)


@dataclass(frozen=True)
class RefillUpdate:
    """A refill request of one order reached a new status."""

    refill_id: int
    order_id: int
    user_id: int
    service_name: str
    status: str


@dataclass(frozen=True)
class PanelDown:
    """A panel stopped answering the sync (reported once per outage)."""

    panel: str
    error: str


@dataclass(frozen=True)
class PanelUp:
    """A panel reported down answers again."""

    panel: str
    down_since: datetime | None


@dataclass(frozen=True)
class MissedOrder:
    """An order the panel answered with an error `misses` times in a row."""

    order_id: int
    panel_order_id: str
    misses: int
    message: str


@dataclass(frozen=True)
class StatusMisses:
    """Orders of one panel that just reached the miss threshold (they keep being asked)."""

    panel: str
    orders: tuple[MissedOrder, ...]


@dataclass(frozen=True)
class UnknownOrder:
    """An order whose `add` outcome is unknown, as admins need to see it."""

    order_id: int
    user_id: int
    panel: str
    service_name: str
    price: int
    created_at: datetime
    reason: str | None
    held: bool = False  # a final status held for settlement, not an unknown `add`


@dataclass(frozen=True)
class UnknownOrders:
    """The orders awaiting reconciliation (empty with `total` 0: all resolved)."""

    orders: tuple[UnknownOrder, ...]
    total: int
    reminder: bool  # same list as last time, posted again because an hour went by


@dataclass(frozen=True)
class LowBalance:
    """A panel's balance fell below LOW_BALANCE_ALERT (reported once until it recovers)."""

    panel: str
    amount: Decimal
    currency: str | None
    threshold: Decimal


Alert = PanelDown | PanelUp | StatusMisses | UnknownOrders | LowBalance


class SyncNotifier(Protocol):
    """Where the sync hands its news; implementations must not wait on delivery for long."""

    async def order_update(self, update: OrderUpdate) -> None: ...

    async def refill_update(self, update: RefillUpdate) -> None: ...

    async def alert(self, alert: Alert) -> None: ...


def _int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def posts_total(extras: dict) -> int | None:
    """A subscription's posts (plus old posts), as it was priced; None when not counted."""
    posts = _int(extras.get("posts"))
    if posts is None:
        return None
    return posts + (_int(extras.get("old_posts")) or 0)


def order_update(order: OpenOrder | Order, change: StatusChange) -> OrderUpdate | None:
    """The customer's news in a change applied to `order` (as loaded before), or None."""
    extras = order.extras
    runs_total = _int(extras.get("runs"))
    is_subscription = order.type == OrderType.SUBSCRIPTIONS
    if change.status_changed:
        kind = change.new_status
    elif runs_total is not None and change.runs_done is not None and change.runs_done != order.runs_done:
        kind = PROGRESS_RUNS
    elif is_subscription and change.posts_done is not None and change.posts_done != order.posts_done:
        kind = PROGRESS_POSTS
    else:
        return None
    if kind == "pending":
        return None  # nothing to tell: the customer was told when the order was placed
    return OrderUpdate(
        order_id=order.id, user_id=order.user_id, kind=kind, service_name=order.service_name,
        refund=change.refund, start_count=change.start_count, remains=change.remains,
        runs_done=change.runs_done if runs_total is not None else None, runs_total=runs_total,
        posts_done=change.posts_done if is_subscription else None,
        posts_total=posts_total(extras) if is_subscription else None,
        cancel_asked=order.cancel_state in CANCEL_ASKED, status=change.new_status, held=change.held is not None,
    )


def refill_update(change: RefillChange, order: Order | None) -> RefillUpdate | None:
    """The customer's news in a refill change (None when the order is gone or nothing to say)."""
    if order is None or change.new_status == "pending":
        return None
    return RefillUpdate(change.refill_id, change.order_id, order.user_id, order.service_name, change.new_status)
