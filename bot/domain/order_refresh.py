"""A customer's Refresh of one order: ask its panel now instead of waiting for the status sync.

Only the order's owner can refresh it. An order the panel no longer works on (final, failed, or
awaiting reconciliation) has no panel news, so the panel is not asked. The answer goes through
statuses.apply_status, which refunds a final status exactly once however often Refresh is pressed;
what it changed is marked as told, because the customer sees it in the card and the sync must not
push it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.domain import lookups, statuses
from bot.panel.errors import PanelError
from bot.storage.db import Database
from bot.storage.orders import OPEN_STATUSES

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


async def refresh_order(db: Database, panels: PanelHub, user_id: int, order_id: int) -> RefreshResult:
    """Ask the panel about the customer's order and apply its answer; what came of it."""
    order = await lookups.user_order(db, user_id, order_id)
    if order is None:
        return RefreshResult(RefreshOutcome.NOT_FOUND)
    if order.status not in OPEN_STATUSES or order.panel_order_id is None:
        return RefreshResult(RefreshOutcome.NO_NEWS)
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
