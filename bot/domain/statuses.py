"""Applying a panel's status answers to orders: idempotent, monotonic, refunds exactly once.

- The same answer twice changes nothing the second time (None).
- A final status is final: later answers (out of order, or a panel changing its mind) are
  ignored, but the raw answer is kept for admins. An unknown status word keeps the status
  (the raw word is stored); a late `pending` never undoes `in_progress`.
- Reaching a final status settles the money once, in the same transaction, from that answer's
  own fields only (bot/domain/settlement.py has the table): what was already refunded counts
  toward the share due. An answer that does not say enough holds the order for an admin: the
  status is stored with `held` = why, no money moves, no referral commission is settled yet.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.domain import referrals
from bot.domain.refunds import refund
from bot.domain.settlement import settle
from bot.panel.models import OrderState, OrderStatus
from bot.storage import order_writes, orders
from bot.storage.db import Database
from bot.storage.order_writes import PanelProgress
from bot.storage.orders import OPEN_STATUSES, Order, is_final

log = logging.getLogger(__name__)


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
    held: str | None = None  # the final status waits for an admin to settle it (why)

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


def _progress(order: Order, state: OrderState) -> PanelProgress:
    status = _next_status(order.status, state.status)
    final = is_final(status)

    def pick(new, old):
        return old if new is None else new

    def own(new, old):  # a final answer's progress is its own: an older number would mislead
        return new if final else pick(new, old)

    return PanelProgress(
        status=status,
        status_raw=state.status_raw,
        remains=own(state.remains, order.remains),
        start_count=pick(state.start_count, order.start_count),
        runs_done=own(state.runs, order.runs_done),
        posts_done=own(state.posts, order.posts_done),
        panel_charge=pick(state.charge, order.panel_charge),
    )


def _visible(p: PanelProgress) -> tuple:
    return (p.status, p.remains, p.start_count, p.runs_done, p.posts_done)


async def apply_status(db: Database, order_id: int, state: OrderState) -> StatusChange | None:
    """Apply one panel answer in its own transaction; what changed, or None (see apply_in)."""
    async with db.transaction() as conn:
        return await apply_in(conn, order_id, state)


async def apply_in(conn: aiosqlite.Connection, order_id: int, state: OrderState, *,
                   order: Order | None = None) -> StatusChange | None:
    """Inside the caller's transaction: apply one panel answer; what changed, or None when it changes
    nothing a customer sees. The sync calls it once per order inside a savepoint of its batch, with
    the `order` it read in this transaction (one query for the batch)."""
    if order is None or order.id != order_id:
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
    given, held = 0, None
    if is_final(progress.status):
        settlement = settle(order, progress.status, state)
        held = settlement.held
        if held is None:  # an admin's earlier refund counts toward what is due
            given = await refund(conn, order, max(0, settlement.due - order.refunded),
                                 note=f"order {progress.status}")
        else:
            log.warning("order %s held for an admin: %s", order.id, held)
    await order_writes.set_progress(conn, order.id, progress, answer, held=held)
    if is_final(progress.status) and held is None:
        await referrals.settle_order(conn, order.id)  # the referrer's commission on what the order kept
    return StatusChange(
        order_id=order.id, user_id=order.user_id, panel=order.panel, old_status=order.status,
        new_status=progress.status, start_count=progress.start_count, remains=progress.remains,
        runs_done=progress.runs_done, posts_done=progress.posts_done, refund=given, held=held,
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
