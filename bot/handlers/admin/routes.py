"""/route in the admin group: routes linking equivalent services of several panels into one.

    /route <name> [priority|cheapest] [loss] main:12 backup:34 third:7   define (order = priority)
    /route list                      /route off <name>                   /route suggest (Accept buttons)

The guard (guard.py) lets only admins in the admin chat reach this and audits every command and
button. A feature of its own in bot/app.py FEATURES: it also adds the route lines to /order and
runs two jobs, one posting failover/cool-off alerts (route_events, decided once per panel per
hour by bot/domain/routing.py), one reading the balances of routed panels.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.domain import routing, routing_admin
from bot.domain.admin_orders import OrderDetails
from bot.domain.routing_admin import RouteRefused
from bot.handlers.admin import orders
from bot.handlers.admin.guard import AdminRequest, Usage, admin_button, admin_command
from bot.i18n import N_
from bot.render import route_views as views
from bot.render.admin_views import plain
from bot.render.callbacks import Callback
from bot.runtime import app_runtime
from bot.telegram import alerts

log = logging.getLogger(__name__)

COMMAND = "route"
ADMIN_COMMANDS = [(COMMAND, N_("routes.cmd_route"))]  # the admin group's menu (bot/app.py)
EVENTS_JOB, BALANCE_JOB = "route_events", "route_balances"
EVENTS_SECONDS, BALANCE_SECONDS = 30, 300
JOB_OPTIONS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


async def _list(req: AdminRequest, args: list[str]) -> str:
    if args:
        raise Usage
    return views.list_text(req.tr, await routing_admin.all_routes(req.rt.db), await routing.cooled_panels(req.rt.db))


async def _off(req: AdminRequest, args: list[str]) -> str:
    if len(args) != 1:
        raise Usage
    return views.off_text(req.tr, args[0], await routing_admin.remove(req.rt.db, args[0]))


async def _suggest(req: AdminRequest, args: list[str]) -> None:
    if args:
        raise Usage
    text, keyboard = views.suggest_screen(req.tr, await routing_admin.suggest(req.rt.db, req.rt.panels))
    await req.reply(text, reply_markup=keyboard)


async def route_command(req: AdminRequest) -> str | None:
    """/route list|off|suggest, or a definition."""
    if not req.args:
        raise Usage
    word, rest = req.args[0].lower(), req.args[1:]
    try:
        if word == "list":
            return await _list(req, rest)
        if word == "off":
            return await _off(req, rest)
        if word == "suggest":
            return await _suggest(req, rest)
        route = await routing_admin.define(req.rt.db, req.rt.panels, routing_admin.parse_spec(req.args),
                                           actor=req.admin_id)
    except RouteRefused as exc:
        if exc.reason == "usage":
            raise Usage from None
        return views.refused_text(req.tr, exc)
    return views.saved_text(req.tr, route)


async def on_accept(req: AdminRequest, callback: Callback) -> None:
    """Accept button of a suggestion: create that route (or say the suggestion is gone)."""
    query = req.update.callback_query
    try:
        route = await routing_admin.accept(req.rt.db, req.rt.panels, callback.arg(0), actor=req.admin_id)
    except RouteRefused as exc:
        await query.answer(plain(views.refused_text(req.tr, exc))[:200], show_alert=True)
        return
    await query.answer()
    await req.reply(views.accepted_text(req.tr, route))


async def order_section(req: AdminRequest, found: OrderDetails) -> list[str]:
    """/order: the providers a routed order was tried at, in order."""
    return views.attempts_lines(req.tr, await routing.order_attempts(req.rt.db, found.order.id))


async def events_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Post failover and cool-off alerts not posted yet (each once, posted or not)."""
    rt = app_runtime(context.application)
    events = await routing.pending_events(rt.db)
    if not events:
        return
    tr = rt.i18n.bind(rt.default_language)
    for event in events:
        await alerts.post_admin(context, rt.settings, views.event_text(tr, event, routing.COOL_SECONDS // 60))
    await routing.events_posted(rt.db, [e.id for e in events])


async def balance_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Read the balances of routed panels, so routing skips a panel that cannot pay for an order."""
    rt = app_runtime(context.application)
    await routing.refresh_balances(rt.db, rt.panels)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/route and its Accept button for admins, and the route lines of /order."""
    admin_command(application, COMMAND, route_command, usage=N_("routes.usage_route"))
    admin_button(application, views.ACCEPT_ACTION, on_accept)
    orders.order_sections(application).append(order_section)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Schedule the alert and balance jobs (jobs are not persisted: made anew at every start)."""
    queue = application.job_queue
    if queue is None:
        return
    queue.run_repeating(events_job, interval=EVENTS_SECONDS, first=1, name=EVENTS_JOB, job_kwargs=JOB_OPTIONS)
    queue.run_repeating(balance_job, interval=BALANCE_SECONDS, first=5, name=BALANCE_JOB, job_kwargs=JOB_OPTIONS)
