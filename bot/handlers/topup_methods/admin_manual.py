"""/manual in the admin group: list, add or change, turn off and on the manual transfer methods.

    /manual                                         the methods customers see now
    /manual set <name> <currency> <rate> <min> <max>
    <instructions on the following lines>          adds the method or replaces the one of that name
    /manual off <name> · /manual on <name>

Changes are stored (bot/domain/manual_methods.py, over MANUAL_PAYMENTS) and take effect at
once: the effective list replaces settings.payments.manual_payments of the running bot.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import manual_methods
from bot.domain.manual_methods import BadMethod
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.render.text import esc
from bot.runtime import Runtime

ADMIN_COMMANDS = [("manual", N_("topups.cmd_manual"))]


async def refresh(rt: Runtime) -> None:
    """Lay the stored edits over the running list of methods."""
    pay = rt.settings.payments
    pay.manual_payments = await manual_methods.load(rt.db, pay.manual_payments)


def _listing(req: AdminRequest) -> str:
    methods = req.rt.settings.payments.manual_payments
    if not methods:
        return req.tr("topups.manual_none")
    lines = [req.tr("topups.manual_title")]
    for m in methods:
        lines.append(req.tr("topups.manual_line", name=esc(m.name), currency=m.currency, rate=f"{m.rate.normalize():f}",
                            low=f"{m.min:f}", high=f"{m.max:f}", shop=req.currency,
                            instructions=esc(m.instructions, 80)))
    return "\n".join(lines)


async def manual(req: AdminRequest) -> str:
    args = req.args
    if not args or args == ["list"]:
        return _listing(req)
    verb = args[0].lower()
    if verb in ("off", "on") and len(args) == 2:
        await manual_methods.set_active(req.rt.db, req.rt.settings.payments.manual_payments, args[1],
                                        verb == "on", req.admin_id)
        await refresh(req.rt)
        return _listing(req)
    if verb == "set":
        text = req.update.effective_message.text or ""
        head, _, instructions = text.partition("\n")
        parts = head.split()[2:]  # after "/manual set"
        if len(parts) != 5 or not instructions.strip():
            raise Usage
        try:
            method = manual_methods.build(*parts, instructions.strip())
        except BadMethod as exc:
            return req.tr("topups.manual_bad", reason=esc(str(exc), 200))
        await manual_methods.save(req.rt.db, method, req.admin_id)
        await refresh(req.rt)
        return _listing(req)
    raise Usage


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "manual", manual, usage=N_("topups.usage_manual"))
