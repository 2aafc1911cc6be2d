"""A customer's Refresh of one order: ask its panel now instead of waiting for the status sync.

Only the order's owner can refresh it. An order the panel no longer works on (final, failed, or
awaiting reconciliation) has no panel news, so the panel is not asked. The answer goes through
statuses.apply_status, which refunds a final status exactly once however often Refresh is pressed;
what it changed is marked as told, because the customer sees it in the card and the sync must not
push it again.

A RefreshGate (one per process, on the Runtime) keeps 40 presses from becoming 40 panel requests:
presses on an order while its request is in flight share that request's result, and for
COOLDOWN_SECONDS after it the order is not asked again (the card is as fresh as it can be: no news).
The owner check comes first, so a result is only ever shared with the order's owner.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.domain import lookups, statuses
from bot.panel.errors import PanelError
from bot.storage.db import Database
from bot.storage.orders import OPEN_STATUSES, Order

if TYPE_CHECKING:
    from bot.panel.hub import PanelHub

log = logging.getLogger(__name__)


class RefreshOutcome(StrEnum):
    """What a Refresh came to."""

    NOT_FOUND = "not_found"  # no such order of this customer's: nothing was asked
    NO_NEWS = "no_news"  # not asked (nothing open at the panel), or its answer changed nothing
    FAILED = "failed"  # the panel did not answer (or left the configuration)
    UPDATED = "updated"  # the answer changed what the customer sees


@dataclass(frozen=True)
class RefreshResult:
    """The outcome and, when it reached a final status, the minor units refunded by it."""

    outcome: RefreshOutcome
    refund: int = 0


COOLDOWN_SECONDS = 10.0
_TRACKED = 10_000  # orders remembered for the cooldown before old entries are dropped


class RefreshGate:
    """Per order: one panel request at a time, shared by every press meanwhile, then a cooldown."""

    def __init__(self, cooldown: float = COOLDOWN_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown, self._clock = cooldown, clock
        self._in_flight: dict[int, asyncio.Future[RefreshResult]] = {}
        self._asked_at: dict[int, float] = {}

    async def run(self, order_id: int, ask: Callable[[], Awaitable[RefreshResult]]) -> RefreshResult:
        """`ask()` once for concurrent callers; NO_NEWS without asking inside the cooldown."""
        shared = self._in_flight.get(order_id)
        if shared is not None:
            return await asyncio.shield(shared)
        asked = self._asked_at.get(order_id)
        if asked is not None and self._clock() - asked < self.cooldown:
            return RefreshResult(RefreshOutcome.NO_NEWS)
        task = asyncio.ensure_future(ask())
        self._in_flight[order_id] = task
        try:
            return await asyncio.shield(task)  # a press whose handler is cancelled leaves the others their answer
        finally:
            self._in_flight.pop(order_id, None)
            self._remember(order_id)

    def _remember(self, order_id: int) -> None:
        now = self._clock()
        if len(self._asked_at) >= _TRACKED:
            self._asked_at = {k: t for k, t in self._asked_at.items() if now - t < self.cooldown}
        self._asked_at[order_id] = now


async def refresh_order(db: Database, panels: PanelHub, user_id: int, order_id: int, *,
                        gate: RefreshGate | None = None) -> RefreshResult:
    """Ask the panel about the customer's order and apply its answer; what came of it.

    With a gate (the chat passes the Runtime's), concurrent and repeated presses are coalesced.
    """
    order = await lookups.user_order(db, user_id, order_id)
    if order is None:
        return RefreshResult(RefreshOutcome.NOT_FOUND)
    if order.status not in OPEN_STATUSES or order.panel_order_id is None:
        return RefreshResult(RefreshOutcome.NO_NEWS)
    if gate is not None:
        return await gate.run(order.id, lambda: _ask_panel(db, panels, order))
    return await _ask_panel(db, panels, order)


async def _ask_panel(db: Database, panels: PanelHub, order: Order) -> RefreshResult:
    try:
        state = await panels.get(order.panel).status(order.panel_order_id)
    except (PanelError, KeyError) as exc:
        log.info("refresh of order %s: no answer from panel %s (%s)", order.id, order.panel, type(exc).__name__)
        return RefreshResult(RefreshOutcome.FAILED)
    change = await statuses.apply_status(db, order.id, state)
    if change is None:
        return RefreshResult(RefreshOutcome.NO_NEWS)
    await statuses.mark_notified(db, order.id, change.new_status)  # seen in the card: no push needed
    return RefreshResult(RefreshOutcome.UPDATED, refund=change.refund)
