"""The background sync feature: JobQueue jobs for order/refill statuses and the catalogue.

A FEATURES module (bot/app.py) with no handlers. PTB does not persist jobs, so `on_startup`
creates them at every start; what to poll is read from the database at every cycle, so orders
placed before a restart are tracked as before. The status job runs every STATUS_POLL_SECONDS
(first one interval after start). The catalogue is refreshed FIRST_RUN_SECONDS after start-up, in the
background so a slow panel never delays start-up (only panels whose catalogue is missing or
older than CATALOGUE_REFRESH_SECONDS), then every CATALOGUE_REFRESH_SECONDS. A cycle still
running when the next is due makes that one a no-op (StatusSync / CatalogueSync guard it;
max_instances=2 lets the guard see it and say so).

Orders left `submitting` by a crash are turned `unknown` before any cycle (bot/app.py does it
before features start; it is repeated here, harmlessly, so the feature never depends on it) and
the first status cycle lists every `unknown` order for the admins. News a stop kept from customers
(status changed, push not delivered) is queued again at start-up (bot/domain/sync_untold.py). Pushes go through
bot/telegram/sync_pushes.py; admin alerts through bot/telegram/alerts.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.domain.catalogue import PanelRefresh
from bot.domain.sync import CycleReport, StatusSync
from bot.domain.sync_catalogue import CatalogueCycle, CatalogueSync
from bot.domain.sync_untold import untold_updates
from bot.panel.client import PanelClient
from bot.panel.errors import RefusalKind
from bot.panel.models import OrderStatus
from bot.panel.type_names import SHOWN_WORD_CHARS, types_entry
from bot.runtime import Runtime, app_runtime
from bot.storage.orders import Order
from bot.telegram import alerts
from bot.telegram.sync_pushes import ChatNotifier

log = logging.getLogger(__name__)

SERVICE_KEY = "sync"  # application.bot_data key of the SyncService (bot_data is not persisted)
STATUS_JOB = "sync_statuses"
CATALOGUE_JOB = "sync_catalogue"
CATALOGUE_STARTUP_JOB = "sync_catalogue_startup"
FIRST_RUN_SECONDS = 3.0  # the start-up catalogue refresh: in the background, just after start
# run late rather than never (start-up may take longer than FIRST_RUN_SECONDS); our own guard skips overlaps
JOB_OPTIONS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 2}


_STALE_CARD = frozenset({RefusalKind.QUANTITY.value, RefusalKind.SERVICE_GONE.value})
REFUSAL_REFRESH_SECONDS = 300.0


@dataclass
class SyncService:
    """The sync's state for one running application."""

    statuses: StatusSync
    catalogue: CatalogueSync
    notifier: ChatNotifier
    refreshed_after_refusal: dict[str, float] = field(default_factory=dict)  # panel -> time.monotonic()

    async def after_refusal(self, rt: Runtime, order: Order) -> None:
        """A panel refused what its cached card allowed (the quantity, or a service it dropped): refresh
        that panel's catalogue now, so the next card shows what it takes (at most once per panel in
        REFUSAL_REFRESH_SECONDS, however many refusals)."""
        if order.status != OrderStatus.FAILED or order.fail_kind not in _STALE_CARD:
            return
        now, last = time.monotonic(), self.refreshed_after_refusal.get(order.panel)
        if order.panel not in rt.panels.names or (last is not None and now - last < REFUSAL_REFRESH_SECONDS):
            return
        self.refreshed_after_refusal[order.panel] = now
        log.info("panel %s refused what its cached catalogue allowed: refreshing that catalogue now", order.panel)
        await self.catalogue_cycle(rt, panels=[rt.panels.get(order.panel)])

    async def status_cycle(self, rt: Runtime) -> CycleReport:
        """One status cycle (what the job runs); pushes are queued, not awaited."""
        self.notifier.queue.kick()  # news queued before the bot was running (start-up alerts)
        report = await self.statuses.run_cycle(rt.db, rt.panels, self.notifier)
        if not report.skipped:
            changes = sum(p.changes + p.refill_changes for p in report.panels)
            log.log(logging.INFO if changes else logging.DEBUG,
                    "status sync: %d request(s), %d change(s), %d push(es) queued in %.2fs",
                    report.requests, changes, sum(p.updates for p in report.panels), report.seconds)
        return report

    async def resend_untold(self, rt: Runtime) -> int:
        """Queue the news a stop kept from customers (sync_untold); how many updates were queued."""
        updates = await untold_updates(rt.db, skip=self.notifier.queued_orders)
        for update in updates:
            await self.notifier.order_update(update)
        if updates:
            log.info("status sync: %d update(s) never delivered before the last stop queued again", len(updates))
        return len(updates)

    async def catalogue_cycle(self, rt: Runtime, *, older_than: float | None = None,
                              panels: Iterable[PanelClient] | None = None) -> CatalogueCycle:
        """One catalogue refresh with the low-balance check (what the jobs run); `panels`: only these."""
        cycle = await self.catalogue.run(rt.db, rt.panels if panels is None else panels, self.notifier,
                                         older_than=older_than)
        if cycle.refresh is not None:
            log.info("catalogue refreshed: %s", ", ".join(
                f"{p.panel} {'ok, ' + str(p.total) + ' services' if p.ok else 'kept (failed)'}"
                for p in cycle.refresh.panels))
        for refreshed in cycle.refresh.panels if cycle.refresh is not None else ():
            if refreshed.removed:  # each vanishing is reported once: the next refresh no longer lists it as available
                names = ", ".join(f"{sid} {name}" for sid, name in list(refreshed.removed_names.items())[:20])
                await alerts.alert(self.notifier.bot, rt.settings, rt.i18n, "shop.alert_vanished",
                                   panel=refreshed.panel, count=len(refreshed.removed), services=names)
            if refreshed.unsupported:  # told once: the next refresh knows these ids as unsupported
                await alerts.alert(self.notifier.bot, rt.settings, rt.i18n, "shop.alert_unsupported_types",
                                   **unsupported_alert(refreshed))
        for panel, code in cycle.unpriced:  # its services are hidden until /rate gives its currency a price
            await alerts.alert(self.notifier.bot, rt.settings, rt.i18n, "shop.alert_rate_missing", panel=panel,
                               currency=code, shop_currency=rt.settings.shop.shop_currency)
        return cycle


def unsupported_alert(refreshed: PanelRefresh) -> dict[str, object]:
    """The alert's values for services of types the bot cannot order (the panel's words, cut short)."""
    found = list(refreshed.unsupported.items())
    return {
        "panel": refreshed.panel, "count": sum(len(ids) for _, ids in found),
        "types": ", ".join(f"“{word[:SHOWN_WORD_CHARS]}” ({len(ids)})" for word, ids in found[:10]),
        "mapping": types_entry(found[0][0]),
    }


def sync_service(application: Application[Any, Any, Any, Any, Any, Any]) -> SyncService:
    """The running application's SyncService (after on_startup)."""
    return application.bot_data[SERVICE_KEY]


def build_service(application: Application[Any, Any, Any, Any, Any, Any], rt: Runtime) -> SyncService:
    """A SyncService whose pushes run as the application's tasks (awaited when it stops)."""
    settings = rt.settings.sync
    notifier = ChatNotifier(
        application.bot, rt, accepting=lambda: application.running,
        spawn=lambda work: application.create_task(work, name="sync-push"),
    )
    return SyncService(
        statuses=StatusSync(concurrency=settings.sync_concurrency, miss_alert=settings.status_miss_alert,
                            poll_seconds=settings.status_poll_seconds),
        catalogue=CatalogueSync(rt.settings.admin.low_balance_alert, new_hidden=rt.settings.storefront.catalogue_new_hidden),
        notifier=notifier,
    )


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """No handlers: the jobs are created in on_startup, once the settings and database are there."""


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Queue news a stop kept from customers, then schedule the status and catalogue jobs.

    Orders a crash left mid-`add` were already made `unknown` by post_init (before any feature);
    the first unknown-orders post names them for the admins.
    """
    rt = app_runtime(application)
    service = build_service(application, rt)
    application.bot_data[SERVICE_KEY] = service
    try:
        await service.resend_untold(rt)  # delivered likewise
    except Exception:  # a lost push is not worth a failed start: the status is right in /orders
        log.exception("could not queue the news undelivered before the last stop")
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("the background sync needs python-telegram-bot[job-queue]")
    settings = rt.settings.sync
    queue.run_repeating(status_job, interval=settings.status_poll_seconds, name=STATUS_JOB, job_kwargs=JOB_OPTIONS)
    queue.run_once(catalogue_startup_job, FIRST_RUN_SECONDS, name=CATALOGUE_STARTUP_JOB, job_kwargs=JOB_OPTIONS)
    queue.run_repeating(catalogue_job, interval=settings.catalogue_refresh_seconds, name=CATALOGUE_JOB,
                        job_kwargs=JOB_OPTIONS)


async def status_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """JobQueue callback: one status cycle."""
    await sync_service(context.application).status_cycle(app_runtime(context.application))


async def catalogue_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """JobQueue callback: one catalogue refresh of every panel."""
    await sync_service(context.application).catalogue_cycle(app_runtime(context.application))


async def catalogue_startup_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """JobQueue callback, once at start-up: refresh the panels whose catalogue is missing or old."""
    rt = app_runtime(context.application)
    await sync_service(context.application).catalogue_cycle(
        rt, older_than=rt.settings.sync.catalogue_refresh_seconds)
