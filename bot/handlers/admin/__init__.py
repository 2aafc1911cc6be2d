"""The operators' group (ADMIN_CHAT_ID, ADMIN_IDS only): the feature module listed in bot/app.py FEATURES.

guard.py       who may act, admin_command / admin_button, the audit of every action, the sink
stats.py       /stats, /panels                 users.py    /user, /ban, /unban
money.py       /credit, /debit                 orders.py   /order, /refund, /unknown, /resolve
catalogue.py   /markup, /hide, /show, /categories, /sync
broadcast.py   /broadcast (preview, background sending, progress)
Here: /help (every admin command's usage, other features' included) and /audit.
Alerts to the group are bot/telegram/alerts.py. Admin commands are not published in the
customers' command menu (this feature has no COMMANDS): ADMIN_COMMANDS below are published by
bot/app.py for the admin group only; a command registered here must be listed there too.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain.admin_audit import recent_actions
from bot.handlers.admin import broadcast, catalogue, money, orders, stats, users
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command, command_usages, install_sink
from bot.i18n import N_
from bot.numbers import parse_whole
from bot.render.admin_views import audit_text, help_text

AUDIT_DEFAULT, AUDIT_MAX = 20, 50

# the admin group's command menu, in the order /help lists them (tests check it matches registration)
ADMIN_COMMANDS = [
    ("help", N_("admin.cmd_help")), ("stats", N_("admin.cmd_stats")), ("panels", N_("admin.cmd_panels")),
    ("user", N_("admin.cmd_user")), ("ban", N_("admin.cmd_ban")), ("unban", N_("admin.cmd_unban")),
    ("credit", N_("admin.cmd_credit")), ("debit", N_("admin.cmd_debit")), ("order", N_("admin.cmd_order")),
    ("refund", N_("admin.cmd_refund")), ("unknown", N_("admin.cmd_unknown")), ("resolve", N_("admin.cmd_resolve")),
    ("markup", N_("admin.cmd_markup")), ("hide", N_("admin.cmd_hide")), ("show", N_("admin.cmd_show")),
    ("categories", N_("admin.cmd_categories")), ("sync", N_("admin.cmd_sync")),
    ("broadcast", N_("admin.cmd_broadcast")), ("audit", N_("admin.cmd_audit")),
]


async def show_help(req: AdminRequest) -> str:
    """/help: the usage line of every admin command."""
    return help_text(req.tr, [usage for _, usage in command_usages(req.context.application)])


async def show_audit(req: AdminRequest) -> str:
    """/audit [count]: the latest admin actions, newest first."""
    wanted = parse_whole(req.args[0]) if len(req.args) == 1 else None
    if len(req.args) > 1 or (req.args and wanted is None):
        raise Usage
    limit = min(wanted, AUDIT_MAX) if wanted is not None else AUDIT_DEFAULT
    return audit_text(req.tr, await recent_actions(req.rt.db, limit=limit))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Every admin command and button, then the sink that keeps customer features out of the admin chat."""
    admin_command(application, "help", show_help, usage=N_("admin.usage_help"))
    for module in (stats, users, money, orders, catalogue, broadcast):
        module.register(application, settings)
    admin_command(application, "audit", show_audit, usage=N_("admin.usage_audit"))
    install_sink(application)
