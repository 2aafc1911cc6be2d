"""News the customer was never told: status changes applied but not delivered before the bot stopped.

A push is queued in memory and `notified_status` is written only once it was delivered, so a
stop (or crash) in between leaves an order whose status differs from what its customer was told,
and apply_status will not report that change again. At start-up the sync rebuilds that news from
the stored order with the same builder as a live change (sync_events.order_update).

Bounded: only orders changed within RESEND_WINDOW (news older than a week after a long outage is
no longer news; /orders shows it), at most RESEND_LIMIT of them per start (well under the push
queue's limit, so queuing never waits before the queue's workers run). Customers who blocked the
bot are left out. Telegram-free; bot/telegram/sync_job.py queues the result.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, datetime, timedelta

from bot.domain.statuses import StatusChange
from bot.domain.sync_events import OrderUpdate, order_update
from bot.storage import orders
from bot.storage.db import Database
from bot.storage.orders import Order, is_final

RESEND_WINDOW = timedelta(days=7)
RESEND_LIMIT = 5_000


def untold_update(order: Order) -> OrderUpdate | None:
    """The news in `order`'s current status, as a live change from what its customer was told."""
    change = StatusChange(
        order_id=order.id, user_id=order.user_id, panel=order.panel,
        old_status=order.notified_status or "pending",  # placing it was told by the chat itself
        new_status=order.status, start_count=order.start_count, remains=order.remains,
        runs_done=order.runs_done, posts_done=order.posts_done,
        refund=order.refunded if is_final(order.status) else 0,  # refunds come with a final status
        held=order.held,  # still held: the customer hears the shop will check
    )
    return order_update(order, change)


async def untold_updates(db: Database, *, skip: Container[int] = (), now: datetime | None = None,
                         window: timedelta = RESEND_WINDOW, limit: int = RESEND_LIMIT) -> list[OrderUpdate]:
    """News for orders changed within `window` whose customer was not told; `skip`: order ids already queued."""
    since = ((now or datetime.now(UTC)) - window).astimezone(UTC).isoformat(timespec="seconds")
    found = await orders.untold(db.conn, since, limit=limit)
    updates = [untold_update(order) for order in found if order.id not in skip]
    return [u for u in updates if u is not None]
