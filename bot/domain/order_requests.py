"""A customer's refill and cancel requests, and the panel's answers about refills.

Allowed only for the order's owner, for services whose snapshot allows it, and in the states
panels accept: refill after completed/partial, cancel while pending/in_progress. The request
is claimed in the database first (so a double tap asks the panel once), then sent; the answer
is stored. An unclear outcome is stored as such and is harmless: the order's later status tells.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.panel.errors import OutcomeUnknown, PanelRefused, PanelUnavailable, RefusalKind
from bot.panel.models import OrderStatus, OrderType, RefillState, RefillStatus
from bot.storage import order_writes, orders, refills
from bot.storage.db import Database
from bot.storage.orders import Order
from bot.storage.refills import Refill

if TYPE_CHECKING:
    import aiosqlite

    from bot.panel.hub import PanelHub

log = logging.getLogger(__name__)

REFILLABLE = (OrderStatus.COMPLETED, OrderStatus.PARTIAL)
CANCELLABLE = (OrderStatus.PENDING, OrderStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Accepted:
    """The request went to the panel. `confirmed` False: sent, but its answer was unclear."""

    order_id: int
    refill_id: int | None = None  # our refill row, for refills
    confirmed: bool = True


@dataclass(frozen=True)
class NotAllowed:
    """Refused by the shop's rules; reason: not_found, not_supported, wrong_status, already_requested."""

    reason: str


@dataclass(frozen=True)
class Refused:
    """The panel said no, in its own words."""

    kind: RefusalKind
    message: str


@dataclass(frozen=True)
class Unavailable:
    """The panel could not be reached; nothing was requested (try later)."""


RequestResult = Accepted | NotAllowed | Refused | Unavailable


@dataclass(frozen=True)
class RefillChange:
    """What a refill status answer changed."""

    refill_id: int
    order_id: int
    old_status: str
    new_status: str


def _check(order: Order | None, allowed: bool, states: tuple[OrderStatus, ...]) -> NotAllowed | None:
    if order is None:
        return NotAllowed("not_found")
    if not allowed:
        return NotAllowed("not_supported")
    if order.status not in states or order.panel_order_id is None:
        return NotAllowed("wrong_status")
    return None


# a cancel request under way or accepted: another is refused (order_writes.start_cancel)
_CANCEL_UNDER_WAY = ("requesting", "requested")


def can_refill(order: Order, order_refills: Sequence[Refill] = ()) -> bool:
    """Whether a refill request would go to the panel now (service, state, none under way)."""
    if _check(order, order.can_refill, REFILLABLE) is not None:
        return False
    return not any(refill.status in refills.BUSY_STATUSES for refill in order_refills)


def can_cancel(order: Order) -> bool:
    """Whether a cancel request would go to the panel now (service, state, none under way)."""
    return _check(order, order.can_cancel, CANCELLABLE) is None and order.cancel_state not in _CANCEL_UNDER_WAY


def can_order_again(order: Order) -> bool:
    """Order again asks only a quantity: orders of the Default type that have a link."""
    return order.type is OrderType.DEFAULT and bool(order.link)


def _outcome_of(exc: BaseException, unclear: Accepted) -> tuple[str, str, RequestResult]:
    """(stored state, stored words, result) for a failed refill/cancel call."""
    if isinstance(exc, PanelRefused):
        return "refused", exc.message, Refused(exc.kind, exc.message)
    if isinstance(exc, PanelUnavailable | KeyError):  # unreachable, or the panel left the config
        return "not_sent", str(exc), Unavailable()
    if isinstance(exc, OutcomeUnknown):
        return "outcome_unknown", exc.message, unclear
    log.error("refill/cancel of order %s: unexpected %s", unclear.order_id, type(exc).__name__, exc_info=exc)
    return "outcome_unknown", "unexpected error", unclear


async def request_refill(db: Database, panels: PanelHub, user_id: int, order_id: int) -> RequestResult:
    """Ask the panel to refill the customer's order."""
    async with db.transaction() as conn:
        order = await orders.get_for_user(conn, order_id, user_id)
        denied = _check(order, order is not None and order.can_refill, REFILLABLE)
        if denied:
            return denied
        refill_id = await refills.claim(conn, order_id)
        if refill_id is None:
            return NotAllowed("already_requested")
    status, message, result = RefillStatus.PENDING.value, None, Accepted(order_id, refill_id)
    panel_refill_id = None
    try:
        panel_refill_id = str(await panels.get(order.panel).refill(order.panel_order_id))
    except BaseException as exc:  # the claim must never stay `requested`: it would block new requests
        status, message, result = _outcome_of(exc, Accepted(order_id, refill_id, confirmed=False))
        if not isinstance(exc, Exception):
            await _store_refill(db, refill_id, status, panel_refill_id, message)
            raise
    await _store_refill(db, refill_id, status, panel_refill_id, message)
    return result


async def _store_refill(db: Database, refill_id: int, status: str, panel_refill_id: str | None,
                        message: str | None) -> None:
    async with db.transaction() as conn:
        await refills.set_answer(conn, refill_id, status, panel_refill_id=panel_refill_id, message=message)


async def request_cancel(db: Database, panels: PanelHub, user_id: int, order_id: int) -> RequestResult:
    """Ask the panel to cancel the customer's order (the refund comes with its Canceled status)."""
    async with db.transaction() as conn:
        order = await orders.get_for_user(conn, order_id, user_id)
        denied = _check(order, order is not None and order.can_cancel, CANCELLABLE)
        if denied:
            return denied
        if not await order_writes.start_cancel(conn, order_id):
            return NotAllowed("already_requested")
    state, message, result = "requested", None, Accepted(order_id)
    try:
        message = (await panels.get(order.panel).cancel(order.panel_order_id)).message
    except BaseException as exc:  # the claim must never stay `requesting`
        state, message, result = _outcome_of(exc, Accepted(order_id, confirmed=False))
        if not isinstance(exc, Exception):
            await _store_cancel(db, order_id, state, message)
            raise
    await _store_cancel(db, order_id, state, message)
    return result


async def _store_cancel(db: Database, order_id: int, state: str, message: str | None) -> None:
    async with db.transaction() as conn:
        await order_writes.set_cancel_state(conn, order_id, state, message)


async def apply_refill_status(db: Database, refill_id: int, state: RefillState) -> RefillChange | None:
    """Apply a refill status answer; what changed, or None (same answer again, final already, unknown word)."""
    async with db.transaction() as conn:
        return await apply_refill_in(conn, refill_id, state)


async def apply_refill_in(conn: aiosqlite.Connection, refill_id: int, state: RefillState) -> RefillChange | None:
    """Inside the caller's transaction (the sync's batch, one savepoint per refill): as apply_refill_status."""
    refill = await refills.get(conn, refill_id)
    if refill is None or refill.is_final or refill.status not in ("pending", "in_progress"):
        return None
    new = refill.status if state.status is RefillStatus.UNKNOWN else state.status.value
    if state.status is RefillStatus.PENDING and refill.status != RefillStatus.PENDING:
        new = refill.status  # a stale answer
    if new == refill.status and state.status_raw == refill.status_raw:
        return None
    await refills.set_status(conn, refill_id, new, state.status_raw)
    if new == refill.status:
        return None
    return RefillChange(refill_id, refill.order_id, refill.status, new)
