"""What start-up looks at once the bot runs, each problem as one line (and a post to the admin group).

- the admin group: the bot is not in ADMIN_CHAT_ID (or cannot post there);
- every panel: it refuses its key or cannot be reached → the shop starts anyway, the admins
  are told, and the panel is asked again with backoff (PANEL_RETRY_DELAYS) until it answers,
  then its catalogue is fetched if it has none;
- the demo panel: a banner in the admin group.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from bot.ops import catalogue_load
from bot.ops.checks import check_admin_group
from bot.panel.errors import PanelError, PanelRefused, PanelUnavailable, RefusalKind
from bot.runtime import app_runtime
from bot.telegram import alerts

if TYPE_CHECKING:
    from bot.panel.client import PanelClient

log = logging.getLogger("bot.startup")

PANEL_RETRY_DELAYS = (60.0, 120.0, 300.0, 600.0)  # then every 600 s
PROBE_SECONDS = 5.0  # start-up asks each panel for its balance for at most this long (then: retried later)
RETRY_JOB = "ops_panel_retry_{}"


def panel_problem(exc: PanelError) -> str:
    """A panel's failure in a few words, for the log line and the admin post."""
    if isinstance(exc, PanelRefused) and exc.kind == RefusalKind.INVALID_KEY:
        return f"refused its key ({exc.message})"
    if isinstance(exc, PanelRefused):
        return f"refused the balance request ({exc.message})"
    return f"cannot be reached ({exc.message})"


async def check_admin_chat(application: Application[Any, Any, Any, Any, Any, Any]) -> bool:
    """One WARNING line when the admin group is wrong; True when it is fine (or not set)."""
    rt = app_runtime(application)
    if rt.settings.admin.admin_chat_id is None:
        log.warning("ADMIN_CHAT_ID is not set: no alerts and no admin commands; add the bot to your "
                    "admin group, send /id there and set ADMIN_CHAT_ID and ADMIN_IDS")
        return False
    try:
        checks = await check_admin_group(application.bot, application.bot.bot, rt.settings)
    except TelegramError as exc:
        log.warning("could not look at the admin group: %s", exc.message)
        return False
    bad = [c for c in checks if not c.ok and c.needed]
    for check in bad:
        log.warning("ADMIN_CHAT_ID %s: %s → %s", rt.settings.admin.admin_chat_id, check.text, check.fix)
    return not bad


async def _probe(client: PanelClient) -> PanelError | None:
    try:
        await asyncio.wait_for(client.balance(), PROBE_SECONDS)
    except PanelError as exc:
        return exc
    except TimeoutError:
        return PanelUnavailable(client.name, f"balance: no answer within {PROBE_SECONDS:g}s")
    return None


async def probe_panels(application: Application[Any, Any, Any, Any, Any, Any]) -> list[str]:
    """Ask every panel for its balance (at once, bounded); the failing ones are reported and retried."""
    rt = app_runtime(application)
    clients = list(rt.panels)
    failing = []
    for client, problem in zip(clients, await asyncio.gather(*(_probe(c) for c in clients)), strict=True):
        if problem is not None:
            failing.append(client.name)
            await _report_down(application, client.name, problem, 0)
    return failing


async def _report_down(application: Application[Any, Any, Any, Any, Any, Any], name: str, exc: PanelError,
                       attempt: int) -> None:
    rt = app_runtime(application)
    delay = PANEL_RETRY_DELAYS[min(attempt, len(PANEL_RETRY_DELAYS) - 1)]
    problem = panel_problem(exc)
    if attempt == 0:
        log.warning("panel %s %s: the shop starts anyway; run `python -m bot check` to see what to fix; "
                    "retrying in %gs", name, problem, delay)
        await alerts.alert(application, rt.settings, rt.i18n, "ops.alert_panel_failing", panel=name, error=problem)
    else:
        log.warning("panel %s still %s: retry %d in %gs", name, problem, attempt, delay)
    if application.job_queue is not None:
        application.job_queue.run_once(retry_panel_job, delay, name=RETRY_JOB.format(name),
                                       data=(name, attempt + 1), job_kwargs={"misfire_grace_time": None})


async def retry_panel_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Ask a failing panel again; when it answers, say so and fetch its catalogue if it has none."""
    application = context.application
    rt = app_runtime(application)
    name, attempt = context.job.data
    try:
        await rt.panels.get(name).balance()
    except PanelError as exc:
        await _report_down(application, name, exc, attempt)
        return
    log.info("panel %s answers now", name)
    await alerts.alert(application, rt.settings, rt.i18n, "ops.alert_panel_answers", panel=name)
    if name in await catalogue_load.panels_without_catalogue(rt):
        report = await catalogue_load.load(application, [name])
        if report is not None:
            await catalogue_load.report_empty(application, report)


async def demo_banner(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt = app_runtime(application)
    if rt.settings.panels.demo:
        log.warning("the shop runs on the built-in DEMO panel: orders are simulated, nothing is delivered")
        await alerts.alert(application, rt.settings, rt.i18n, "ops.demo_banner")
