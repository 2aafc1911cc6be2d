"""The catalogue's schedule: refresh (a failing panel keeps its last catalogue), low balance once per dip."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from bot.domain import catalogue
from bot.domain.sync_catalogue import CatalogueSync
from bot.domain.sync_events import LowBalance
from bot.storage import panel_state
from tests.sync.support import until


async def _service_count(db, panel: str) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM services WHERE panel = ? AND available = 1", (panel,))
    return row[0]


async def test_refresh_keeps_a_failing_panels_last_good_catalogue(db, panel, second, hub, notifier):
    job = CatalogueSync(low_balance_alert=None)
    first = await job.run(db, hub, notifier)
    kept = await _service_count(db, "second")
    assert first.refresh.ok and kept == len(second.services)
    await second.stop()
    again = await job.run(db, hub, notifier)
    assert [p.ok for p in again.refresh.panels] == [True, False]
    assert await _service_count(db, "second") == kept  # the old list is still offered
    assert isinstance(again.balances["second"], str) and again.balances["main"].amount == Decimal("1000")
    assert notifier.alerts == []  # no threshold configured


async def test_low_balance_is_alerted_once_and_again_only_after_recovery(db, panel, second, hub, notifier):
    job = CatalogueSync(low_balance_alert=Decimal("50"))
    panel.panel_balance = Decimal("12.5")
    await job.run(db, hub, notifier)
    await job.run(db, hub, notifier)
    (alert,) = notifier.alerts_of(LowBalance)
    assert (alert.panel, alert.amount, alert.currency, alert.threshold) == ("main", Decimal("12.5"), "USD",
                                                                           Decimal("50"))
    assert (await panel_state.get(db.conn, "main")).low_balance_alerted
    panel.panel_balance = Decimal("50")  # at the threshold counts as recovered
    await job.run(db, hub, notifier)
    assert not (await panel_state.get(db.conn, "main")).low_balance_alerted
    panel.panel_balance = Decimal("3")
    await job.run(db, hub, notifier)
    assert [a.amount for a in notifier.alerts_of(LowBalance)] == [Decimal("12.5"), Decimal("3")]
    # a new process reads the flag from panel_state: no repeat while still low
    await CatalogueSync(low_balance_alert=Decimal("50")).run(db, hub, notifier)
    assert len(notifier.alerts_of(LowBalance)) == 2


async def test_a_refresh_started_while_one_runs_is_skipped(db, panel, hub, notifier):
    job = CatalogueSync(low_balance_alert=None)
    panel.hang_seconds = 0.3
    panel.inject("services", "hang", before=True)
    running = asyncio.create_task(job.run(db, hub, notifier))
    await until(lambda: panel.requests["services"] > 0)
    assert (await job.run(db, hub, notifier)).skipped
    assert not (await running).skipped and panel.requests["services"] == 1
    assert (await catalogue.platforms(db)) != []


async def test_the_start_up_refresh_fetches_only_missing_or_old_catalogues(db, panel, second, hub, notifier):
    job = CatalogueSync(low_balance_alert=Decimal("50"))
    await catalogue.refresh_catalogue(db, [hub.get("main")])  # main fresh, second never fetched
    before = panel.requests["services"]
    cycle = await job.run(db, hub, notifier, older_than=3600)
    assert [p.panel for p in cycle.refresh.panels] == ["second"] and list(cycle.balances) == ["second"]
    assert panel.requests["services"] == before and second.requests["services"] == 1
    quiet = await job.run(db, hub, notifier, older_than=3600)  # both fresh now: nothing to fetch
    assert quiet.refresh is None and second.requests["services"] == 1
    await db.conn.execute("UPDATE catalogue_fetches SET fetched_at = '2000-01-01T00:00:00+00:00'")
    old = await job.run(db, hub, notifier, older_than=3600)
    assert [p.panel for p in old.refresh.panels] == ["main", "second"]
