"""The catalogue is there from the first second.

At start-up, every panel without a stored catalogue is fetched at once (a JobQueue job due
immediately, so it runs in the background as soon as the bot takes updates, and a stop awaits it
like any job). While it runs and the shop has nothing to show, a customer's New order (/order or
the menu button) gets a "loading the catalogue" note and waits for it — rather than reading "no
services" — before the order conversation answers. The waiting handler blocks the update
queue, but only while the shop has nothing at all to sell (a fresh install or a fresh database),
and at most WAIT_SECONDS. A panel that answers an empty catalogue is reported to the admins, at
start-up and whenever a later refresh (hourly, /sync) finds it empty, once until it lists services again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, CallbackQueryHandler, CommandHandler, filters

from bot.domain import catalogue
from bot.domain.catalogue import RefreshReport
from bot.render.order_views import ENTRY_CALLBACK, ENTRY_COMMAND
from bot.runtime import Runtime, app_runtime
from bot.storage import catalogue as store
from bot.telegram import alerts
from bot.telegram.language import user_language

log = logging.getLogger(__name__)

LOADER_KEY = "ops.catalogue_loader"
LOAD_JOB = "ops_catalogue_first_load"
WAIT_SECONDS = 25.0  # a customer waits at most this long for the first catalogue
EMPTY_ERROR = "the panel listed no services"  # bot/domain/catalogue._fetch's words
REPORTED_KEY = "ops.empty_catalogues"  # panels already reported empty (bot_data: never persisted)
EMPTY_WATCH_JOB = "ops_empty_catalogue_watch"
EMPTY_WATCH_SECONDS = 300


class CatalogueLoader:
    """The first load's state: `done` is set when it finished (or when there was nothing to load)."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.done.set()

    @property
    def loading(self) -> bool:
        return not self.done.is_set()


def loader(application: Application[Any, Any, Any, Any, Any, Any]) -> CatalogueLoader:
    return application.bot_data.setdefault(LOADER_KEY, CatalogueLoader())


async def panels_without_catalogue(rt: Runtime) -> list[str]:
    """Panels whose catalogue was never fetched successfully."""
    fetched = {r.panel: r.fetched_at for r in await store.fetch_records(rt.db.conn)}
    return [name for name in rt.panels.names if fetched.get(name) is None]


async def schedule_first_load(application: Application[Any, Any, Any, Any, Any, Any],
                              skip: Iterable[str] = ()) -> list[str]:
    """At start-up: when some panel has no stored catalogue, fetch it right away in the background.

    `skip`: panels known to fail right now (bot/ops/watch.py fetches theirs once they answer).
    """
    rt = app_runtime(application)
    missing = [name for name in await panels_without_catalogue(rt) if name not in set(skip)]
    if not missing or application.job_queue is None:
        return missing
    loader(application).done.clear()
    application.job_queue.run_once(first_load_job, 0, name=LOAD_JOB, data=missing,
                                   job_kwargs={"misfire_grace_time": None})
    log.info("no stored catalogue for %s: fetching it now", ", ".join(missing))
    return missing


async def load(application: Application[Any, Any, Any, Any, Any, Any], names: list[str]) -> RefreshReport | None:
    """Fetch these panels' catalogues (through the sync's lock when the sync feature runs)."""
    rt = app_runtime(application)
    service = application.bot_data.get("sync")  # bot/telegram/sync_job.SERVICE_KEY
    if service is not None:
        cycle = await service.catalogue_cycle(rt, older_than=rt.settings.sync.catalogue_refresh_seconds)
        return cycle.refresh
    report = await catalogue.refresh_catalogue(rt.db, [rt.panels.get(n) for n in names])
    return report


async def first_load_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    application = context.application
    try:
        report = await load(application, list(context.job.data))
        if report is not None:
            await report_empty(application, report)
    finally:
        loader(application).done.set()


async def report_empty(application: Application[Any, Any, Any, Any, Any, Any], report: RefreshReport) -> None:
    """Tell the admins of every panel that answered an empty catalogue (once until it lists services again)."""
    await _report_empty_panels(application, [p.panel for p in report.panels if p.error and EMPTY_ERROR in p.error],
                               recovered=[p.panel for p in report.panels if p.ok])


async def _report_empty_panels(application: Application[Any, Any, Any, Any, Any, Any], empty: list[str],
                               recovered: list[str]) -> None:
    rt = app_runtime(application)
    reported: set[str] = application.bot_data.setdefault(REPORTED_KEY, set())
    reported.difference_update(recovered)
    for panel in empty:
        if panel in reported:
            continue
        reported.add(panel)
        log.warning("panel %s answered an empty catalogue: nothing of it can be sold", panel)
        await alerts.alert(application, rt.settings, rt.i18n, "ops.alert_empty_catalogue", panel=panel)


async def empty_watch_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Every few minutes: a panel whose last catalogue fetch (any: the hourly refresh, /sync) came back
    empty is reported once; it is reported again only after it listed services in between."""
    application = context.application
    records = await store.fetch_records(app_runtime(application).db.conn)
    await _report_empty_panels(
        application, [r.panel for r in records if r.last_error and EMPTY_ERROR in r.last_error],
        recovered=[r.panel for r in records if r.last_error is None])


def schedule_empty_watch(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(empty_watch_job, interval=EMPTY_WATCH_SECONDS, first=EMPTY_WATCH_SECONDS,
                                            name=EMPTY_WATCH_JOB, job_kwargs={"misfire_grace_time": None})


async def wait_for_catalogue(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Before the order conversation: while the first load runs and nothing can be shown, say so and wait."""
    state = loader(context.application)
    if not state.loading:
        return
    rt = app_runtime(context.application)
    if await catalogue.platforms(rt.db):
        return  # something to show already
    chat = update.effective_chat  # the button's query is answered by the conversation, not here
    if chat is not None:
        lang = await user_language(context, update.effective_user)
        await chat.send_message(rt.i18n.t(lang, "ops.catalogue_loading"))
    try:
        await asyncio.wait_for(state.done.wait(), WAIT_SECONDS)
    except TimeoutError:
        log.warning("a customer waited %gs for the first catalogue; showing what there is", WAIT_SECONDS)


def add_waiter(application: Application[Any, Any, Any, Any, Any, Any], group: int) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(ENTRY_COMMAND, wait_for_catalogue, filters=private), group=group)
    application.add_handler(CallbackQueryHandler(wait_for_catalogue, pattern="^" + re.escape(ENTRY_CALLBACK) + "$"),
                            group=group)
