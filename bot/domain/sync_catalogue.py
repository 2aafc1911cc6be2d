"""The catalogue's own schedule: refresh every panel's services, then look at each panel's balance.

A panel that fails keeps its last good catalogue (catalogue.refresh_catalogue). At start-up only
panels whose catalogue is missing or older than the refresh interval are fetched: restarts do
not download every catalogue (a few MB each) again; the next scheduled refresh takes them all. Balances are
compared with LOW_BALANCE_ALERT in the panel's own currency (the operator sets the threshold
knowing it); a panel below it is reported once, and again only after it was seen at or above
the threshold in between (the flag lives in panel_state, so a restart does not repeat it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.domain import catalogue, currency, stats_daily
from bot.domain.catalogue import RefreshReport
from bot.domain.sync_events import LowBalance, SyncNotifier
from bot.panel.errors import PanelError
from bot.panel.models import Balance
from bot.storage import catalogue as store
from bot.storage import panel_state
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.panel.client import PanelClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueCycle:
    """One refresh: the catalogue report, each panel's balance (or why it is missing), alerts sent."""

    refresh: RefreshReport | None = None
    balances: dict[str, Balance | str] = field(default_factory=dict)
    low_balance_alerts: int = 0
    skipped: bool = False  # the previous refresh was still running
    unpriced: list[tuple[str, str]] = field(default_factory=list)  # (panel, currency) newly without a rate


async def _balance(client: PanelClient) -> Balance | str:
    try:
        return await client.balance()
    except PanelError as exc:
        return exc.message


async def check_balance(db: Database, panel: str, balance: Balance, threshold: Decimal) -> LowBalance | None:
    """Update the panel's low-balance flag; the alert to send when it just went below the threshold."""
    low = balance.amount < threshold
    async with db.transaction() as conn:
        state = await panel_state.get(conn, panel)
        alerted = state is not None and state.low_balance_alerted
        if low == alerted:
            return None
        await panel_state.set_alerted(conn, panel, low_balance=low)
    if not low:
        log.info("panel %s balance is back above the alert threshold", panel)
        return None
    return LowBalance(panel, balance.amount, balance.currency, threshold)


async def stale_panels(db: Database, clients: list[PanelClient], older_than: float) -> list[PanelClient]:
    """The clients whose catalogue was never fetched, or last fetched more than `older_than` s ago."""
    fetched = {r.panel: r.fetched_at for r in await store.fetch_records(db.conn)}
    now = datetime.now(UTC)
    return [c for c in clients
            if fetched.get(c.name) is None or (now - fetched[c.name]).total_seconds() > older_than]


class CatalogueSync:
    """Refresh plus balance check, never two at once."""

    def __init__(self, low_balance_alert: Decimal | None, *, new_hidden: bool = False) -> None:
        self.low_balance_alert = low_balance_alert
        self.new_hidden = new_hidden  # CATALOGUE_NEW_HIDDEN
        self._lock = asyncio.Lock()

    async def run(self, db: Database, panels: Iterable[PanelClient], notifier: SyncNotifier, *,
                  older_than: float | None = None) -> CatalogueCycle:
        """Refresh the panels' catalogues, then check their balances (pass the PanelHub).

        `older_than` seconds: only panels whose last good fetch is older (or missing); the start-up
        run uses it so a restart does not download every catalogue again.
        """
        if self._lock.locked():
            log.info("catalogue refresh: the previous one is still running; this one is skipped")
            return CatalogueCycle(skipped=True)
        async with self._lock:
            clients = list(panels)
            if older_than is not None:
                clients = await stale_panels(db, clients, older_than)
            if not clients:
                return CatalogueCycle()
            report = await catalogue.refresh_catalogue(db, clients, new_hidden=self.new_hidden)
            for failed in (p for p in report.panels if not p.ok):
                log.warning("catalogue of panel %s kept from the last good fetch: %s", failed.panel, failed.error)
            balances = dict(zip((c.name for c in clients),
                                await asyncio.gather(*(_balance(c) for c in clients)), strict=True))
            alerts = 0
            for panel, balance in balances.items():
                if isinstance(balance, str):
                    log.warning("balance of panel %s not read: %s", panel, balance)
                    continue
                await currency.note_balance(db, panel, balance)  # the panel's currency (bot/domain/currency.py)
                await stats_daily.record_balance(db, panel, balance)  # the /panels trend
                if self.low_balance_alert is not None:
                    alert = await check_balance(db, panel, balance, self.low_balance_alert)
                    if alert is not None:
                        alerts += 1
                        await notifier.alert(alert)
            return CatalogueCycle(report, balances, alerts, unpriced=await currency.newly_unpriced(db))
