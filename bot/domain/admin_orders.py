"""Orders as the operators handle them: details with the panel's raw answer, refunds, reconciliation.

The money rules live in reconcile.py (each refund at most once, never beyond the price, checked
in the same transaction as the refund); these functions add the operators' view: what to show,
which command fits which state, and errors precise enough to explain.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import lookups, reconcile
from bot.domain.errors import LimitExceeded, NotFound, WrongState
from bot.storage import ledger
from bot.storage.db import Database
from bot.storage.ledger import LedgerEntry, order_reference
from bot.storage.orders import OUTCOME_UNKNOWN, SUBMITTING, Order
from bot.storage.refills import Refill

REFUND_WORD = "refund"  # `/resolve <id> refund`


class OrderNotFound(NotFound):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} not found")
        self.order_id = order_id


class OrderInState(WrongState):
    """The order's state does not allow this (`status` says which it is in)."""

    def __init__(self, order: Order, message: str) -> None:
        super().__init__(message)
        self.order_id, self.status = order.id, order.status
        self.held = order.held is not None  # a held final order: settled with /resolve <id> refund [amount]


class PanelOrderTaken(WrongState):
    """Another order is already linked to this panel order id."""

    def __init__(self, panel_order_id: str) -> None:
        super().__init__(f"panel order {panel_order_id} is already linked to another order")
        self.panel_order_id = panel_order_id


class RefundTooLarge(LimitExceeded):
    """More than what is left unrefunded was asked (`left` may be 0: refunded in full)."""

    def __init__(self, order: Order) -> None:
        super().__init__(f"only {order.unrefunded} of order {order.id} is left to refund")
        self.order_id, self.left = order.id, order.unrefunded


@dataclass(frozen=True)
class OrderDetails:
    """An order with its refill requests and every ledger row about it."""

    order: Order
    refills: list[Refill]
    money: list[LedgerEntry]


@dataclass(frozen=True)
class Refunded:
    """A refund that was made: the order as it is now and the amount given back (minor)."""

    order: Order
    amount: int


async def _order(db: Database, order_id: int) -> Order:
    order = await lookups.order(db, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    return order


async def details(db: Database, order_id: int) -> OrderDetails:
    """Everything /order shows about one order."""
    order = await _order(db, order_id)
    return OrderDetails(order, await lookups.order_refills(db, order_id),
                        await ledger.by_reference(db.conn, order_reference(order_id)))


async def refund(db: Database, order_id: int, amount: int | None, *, actor: int, note: str | None = None) -> Refunded:
    """/refund: all that is left (None) or a part; an `unknown` order is settled with /resolve instead."""
    order = await _order(db, order_id)
    if order.status == OUTCOME_UNKNOWN:
        raise OrderInState(order, f"order {order_id} awaits reconciliation: use /resolve")
    if order.status == SUBMITTING:
        raise OrderInState(order, f"order {order_id} is still being placed")
    if order.held is not None:
        raise OrderInState(order, f"order {order_id} is held for settlement: use /resolve")
    if order.unrefunded == 0 or (amount is not None and amount > order.unrefunded):
        raise RefundTooLarge(order)
    try:
        given = await reconcile.refund_order(db, order_id, amount, actor=actor, note=note)
    except LimitExceeded:  # another refund landed in between: the transaction re-checked and said no
        raise RefundTooLarge(await _order(db, order_id)) from None
    return Refunded(await _order(db, order_id), given)


async def resolve(db: Database, order_id: int, answer: str, *, actor: int,
                  amount: int | None = None) -> Order | Refunded:
    """/resolve: link the panel's order id (tracking starts), or `refund` when the panel has no such order;
    a held final order: `refund` with the amount to give back (None: all that is left, 0: nothing)."""
    order = await _order(db, order_id)
    if order.held is not None:
        if answer.strip().lower() != REFUND_WORD:
            raise OrderInState(order, f"order {order_id} is held for settlement: /resolve {order_id} refund [amount]")
        wanted = order.unrefunded if amount is None else amount
        if wanted > order.unrefunded:
            raise RefundTooLarge(order)
        try:
            given = await reconcile.settle_held(db, order_id, wanted, actor=actor)
        except LimitExceeded:
            raise RefundTooLarge(await _order(db, order_id)) from None
        except WrongState:
            settled = await _order(db, order_id)
            raise OrderInState(settled, f"order {order_id} is {settled.status}") from None
        return Refunded(await _order(db, order_id), given)
    if amount is not None:
        raise OrderInState(order, f"order {order_id} is not held: an amount is for held orders only")
    if order.status != OUTCOME_UNKNOWN:
        raise OrderInState(order, f"order {order_id} is {order.status}, not awaiting reconciliation")
    if answer.strip().lower() == REFUND_WORD:
        given = await reconcile.refund_unknown(db, order_id, actor=actor)
        return Refunded(await _order(db, order_id), given)
    try:
        return await reconcile.resolve_unknown(db, order_id, answer)
    except WrongState:
        settled = await _order(db, order_id)
        if settled.status != OUTCOME_UNKNOWN:  # settled by someone else meanwhile
            raise OrderInState(settled, f"order {order_id} is {settled.status}") from None
        raise PanelOrderTaken(answer.strip()) from None
