"""Applying a panel's status answers to orders: idempotent, monotonic, refunds exactly once.

- The same answer twice changes nothing the second time (None).
- A final status is final: later answers (out of order, or a panel changing its mind) are
  ignored, but the raw answer is kept for admins. An unknown status word keeps the status
  (the raw word is stored); a late `pending` never undoes `in_progress`.
- Reaching a final status settles the money once, in the same transaction:
  Canceled/Refunded/Failed refund what is left of the price, whatever the type; Partial refunds
  price × remains ÷ quantity (half-up; packages have no unit price, so their Partial refunds
  nothing automatically: an admin decides); Completed nothing. Subscriptions (priced on
  max × posts) ending Expired/Partial refund the share of posts not done, when the panel
  says how many were done.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.domain import referrals
from bot.domain.pricing import PACKAGE_TYPES
from bot.domain.refunds import refund, share_of_price
from bot.panel.models import OrderState, OrderStatus, OrderType
from bot.storage import order_writes, orders
from bot.storage.db import Database
from bot.storage.order_writes import PanelProgress
from bot.storage.orders import OPEN_STATUSES, Order, is_final

log = logging.getLogger(__name__)

_FULL_REFUND = (OrderStatus.CANCELED, OrderStatus.REFUNDED, OrderStatus.FAILED)


@dataclass(frozen=True)
class StatusChange:
    """What a panel answer changed on one order (for the sync to tell the customer)."""

    order_id: int
    user_id: int
    panel: str
    old_status: str
    new_status: str
    start_count: int | None
    remains: int | None
    runs_done: int | None
    posts_done: int | None
    refund: int  # minor units given back by this answer

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status


def _answer(state: OrderState) -> dict[str, Any]:
    """The raw answer as it will read back from the database."""
    raw = state.raw or state.model_dump(mode="json", exclude={"raw"})
    return json.loads(json.dumps(raw, ensure_ascii=False, default=str))


def _next_status(current: str, reported: OrderStatus) -> str:
    if reported is OrderStatus.UNKNOWN:
        return current  # a word we do not know tells us nothing
    if reported is OrderStatus.PENDING and current != OrderStatus.PENDING:
        return current  # a stale answer; work never un-starts
    return reported.value


def _refund_due(order: Order, status: str, progress: PanelProgress) -> int:
    """How much of the price the final `status` gives back (before clamping to what is left)."""
    if status in _FULL_REFUND:
        return order.price
    if order.type is OrderType.SUBSCRIPTIONS:
        posts = int(order.extras.get("posts") or 0) + int(order.extras.get("old_posts") or 0)
        if status == OrderStatus.COMPLETED or progress.posts_done is None or posts <= 0:
            return 0
        return share_of_price(order.price, posts - progress.posts_done, posts)
    if status == OrderStatus.PARTIAL and order.type not in PACKAGE_TYPES:
        return share_of_price(order.price, progress.remains or 0, order.quantity)
    return 0


def _progress(order: Order, state: OrderState) -> PanelProgress:
    def pick(new, old):
        return old if new is None else new

    return PanelProgress(
        status=_next_status(order.status, state.status),
        status_raw=state.status_raw,
        remains=pick(state.remains, order.remains),
        start_count=pick(state.start_count, order.start_count),
        runs_done=pick(state.runs, order.runs_done),
        posts_done=pick(state.posts, order.posts_done),
        panel_charge=pick(state.charge, order.panel_charge),
    )


def _visible(p: PanelProgress) -> tuple:
    return (p.status, p.remains, p.start_count, p.runs_done, p.posts_done)


async def apply_status(db: Database, order_id: int, state: OrderState) -> StatusChange | None:
    """Apply one panel answer in its own transaction; what changed, or None (see apply_in)."""
    async with db.transaction() as conn:
        return await apply_in(conn, order_id, state)


async def apply_in(conn: aiosqlite.Connection, order_id: int, state: OrderState) -> StatusChange | None:
    """Inside the caller's transaction: apply one panel answer; what changed, or None when it changes
    nothing a customer sees. The sync calls it once per order inside a savepoint of its batch."""
    order = await orders.get(conn, order_id)
    if order is None:
        return None
    answer = _answer(state)
    if order.status not in OPEN_STATUSES:
        # final already (or not placed): the answer is kept for admins, nothing else moves
        if order.panel_order_id is not None and order.last_answer != answer:
            await order_writes.set_last_answer(conn, order.id, answer)
        return None
    current = PanelProgress(order.status, order.status_raw, order.remains, order.start_count,
                            order.runs_done, order.posts_done, order.panel_charge)
    progress = _progress(order, state)
    if _visible(progress) == _visible(current):
        if progress != current or order.last_answer != answer or order.miss_count:
            await order_writes.set_progress(conn, order.id, progress, answer)
        return None
    given = 0
    if progress.status == OrderStatus.PARTIAL and progress.remains is None:
        log.warning("order %s: Partial without remains, nothing refunded automatically", order.id)
    if is_final(progress.status):
        given = await refund(conn, order, _refund_due(order, progress.status, progress),
                             note=f"order {progress.status}")
    await order_writes.set_progress(conn, order.id, progress, answer)
    if is_final(progress.status):
        await referrals.settle_order(conn, order.id)  # the referrer's commission on what the order kept
    return StatusChange(
        order_id=order.id, user_id=order.user_id, panel=order.panel, old_status=order.status,
        new_status=progress.status, start_count=progress.start_count, remains=progress.remains,
        runs_done=progress.runs_done, posts_done=progress.posts_done, refund=given,
    )


async def record_status_miss(db: Database, order_id: int) -> int:
    """The panel answered an error for this order again; the count of consecutive errors."""
    async with db.transaction() as conn:
        return await record_miss_in(conn, order_id)


async def record_miss_in(conn: aiosqlite.Connection, order_id: int) -> int:
    """Inside the caller's transaction: one more consecutive error (or unappliable answer); the count."""
    return await order_writes.bump_miss(conn, order_id)


async def mark_notified(db: Database, order_id: int, status: str) -> None:
    """Remember the status the customer was just told about."""
    async with db.transaction() as conn:
        await order_writes.set_notified(conn, order_id, status)
