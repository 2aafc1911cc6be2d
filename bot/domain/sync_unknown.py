"""Orders only an admin can settle, listed for the admins until an admin resolves them: those
whose `add` outcome is unknown, and final ones held because their answer did not say enough.

The list is posted when it changes (an order joined or left it) and otherwise repeated at most
every REMINDER_SECONDS. Checked every status cycle (60 s by default), a list posted each time
would bury the admin chat; once an hour keeps it in sight without being noise. The last posted
list is kept in memory, so after a restart a non-empty list is posted once more: that is wanted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.domain import reconcile
from bot.domain.sync_events import UnknownOrder, UnknownOrders
from bot.storage.db import Database

REMINDER_SECONDS = 3600.0
LISTED = 30  # orders shown in one post; the total says how many more


class UnknownWatch:
    """Remembers what was last posted and when."""

    def __init__(self, reminder_seconds: float = REMINDER_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._reminder_seconds = reminder_seconds
        self._clock = clock
        self._posted: tuple[frozenset[int], int] = (frozenset(), 0)  # nothing listed at start-up
        self._posted_at = 0.0

    async def check(self, db: Database) -> UnknownOrders | None:
        """The alert to post now, or None (unchanged and reminded recently, or nothing ever listed)."""
        found = await reconcile.unknown_orders(db, limit=LISTED)
        total = len(found)
        if total >= LISTED:
            total = await reconcile.count_unknown(db)
        listed = (frozenset(o.id for o in found), total)
        now = self._clock()
        reminder = listed == self._posted
        if reminder and (not total or now - self._posted_at < self._reminder_seconds):
            return None
        self._posted, self._posted_at = listed, now
        return UnknownOrders(
            orders=tuple(UnknownOrder(o.id, o.user_id, o.panel, o.service_name, o.price, o.created_at,
                                      o.held or o.fail_reason, held=o.held is not None) for o in found),
            total=total, reminder=reminder,
        )
