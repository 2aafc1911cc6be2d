"""/markup, /hide, /show, /categories and /sync: what customers see in the catalogue, and at what price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import admin_catalogue, catalogue
from bot.domain.admin_catalogue import parse_percent, split_service
from bot.domain.catalogue import RefreshReport
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.panel.type_names import SHOWN_WORD_CHARS, types_entry
from bot.render.admin_reports import categories_text, markup_set_text, markups_text, sync_text
from bot.render.admin_views import esc
from bot.storage.markups import SHOP_WIDE, service_scope
from bot.telegram.sync_job import SERVICE_KEY as SYNC_SERVICE_KEY

OFF_WORDS = frozenset({"off", "reset", "default"})


def percent_arg(text: str) -> Decimal | None:
    """A markup percent, or None for `off` (drop the row); Usage otherwise."""
    if text.lower() in OFF_WORDS:
        return None
    try:
        return parse_percent(text)
    except ValueError:
        raise Usage from None


async def markup(req: AdminRequest) -> str:
    """/markup: list; /markup <percent|off>: shop-wide; /markup <panel:service> <percent|off>: one service."""
    db, default = req.rt.db, req.rt.settings.shop.markup_percent
    if not req.args:
        return markups_text(req.tr, await admin_catalogue.markup_list(db), default)
    if len(req.args) > 2:
        raise Usage
    service = None
    if len(req.args) == 2:
        service = split_service(req.args[0], req.rt.panels.names)
        if service is None:
            raise Usage
    new = percent_arg(req.args[-1])
    before = await admin_catalogue.set_markup(db, service, new, actor=req.admin_id)
    return markup_set_text(req.tr, service_scope(*service) if service else SHOP_WIDE, new, before)


async def _set_hidden(req: AdminRequest, hidden: bool) -> str:
    if not req.args:
        raise Usage
    target = await admin_catalogue.find_target(req.rt.db, " ".join(req.args), req.rt.panels.names)
    await admin_catalogue.set_hidden(req.rt.db, target, hidden)
    if not hidden and target.unsupported_type is not None:  # its type keeps it hidden: say what would show it
        return req.tr("admin.shown_unsupported", target=esc(target.label),
                      type=esc(target.unsupported_type, SHOWN_WORD_CHARS),
                      mapping=esc(types_entry(target.unsupported_type)))
    return req.tr("admin.hidden" if hidden else "admin.shown", target=esc(target.label))


async def hide(req: AdminRequest) -> str:
    """/hide <panel:service | category id | category name>: customers no longer see it."""
    return await _set_hidden(req, True)


async def show(req: AdminRequest) -> str:
    """/show <...>: customers see it again."""
    return await _set_hidden(req, False)


async def list_categories(req: AdminRequest) -> str:
    """/categories: ids and names for /hide and /show."""
    if req.args:
        raise Usage
    return categories_text(req.tr, await admin_catalogue.all_categories(req.rt.db))


async def sync_now(req: AdminRequest) -> str:
    """/sync: refresh every panel's catalogue now and report what changed."""
    if req.args:
        raise Usage
    await req.reply(req.tr("admin.sync_started"))
    service = req.context.application.bot_data.get(SYNC_SERVICE_KEY)
    if service is None:  # built without the sync feature: nothing else refreshes, no lock to share
        return sync_text(req.tr, await catalogue.refresh_catalogue(
            req.rt.db, req.rt.panels, new_hidden=req.rt.settings.storefront.catalogue_new_hidden))
    # the scheduled refresh's lock: a /sync during it must not refresh a second time
    cycle = await service.catalogue_cycle(req.rt)
    if cycle.skipped:
        return req.tr("admin.sync_already_running")
    return sync_text(req.tr, cycle.refresh or RefreshReport([]))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "markup", markup, usage=N_("admin.usage_markup"))
    admin_command(application, "hide", hide, usage=N_("admin.usage_hide"))
    admin_command(application, "show", show, usage=N_("admin.usage_show"))
    admin_command(application, "categories", list_categories, usage=N_("admin.usage_categories"))
    # fetches every panel's service list: must not hold up the customers' updates meanwhile
    admin_command(application, "sync", sync_now, usage=N_("admin.usage_sync"), block=False)
