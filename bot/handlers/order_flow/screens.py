"""The screen of each step of the New-order flow: read what it needs from the domain, render it.

`render_step` gives every screen a new tag, so only the buttons of the newest screen work.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain import catalogue, favourites, mass_order, offers, pricing, wallet
from bot.domain.order_input import prompt_params
from bot.domain.order_plan import build_request, context_for, is_optional
from bot.handlers.common import translator
from bot.handlers.order_flow import moves
from bot.handlers.order_flow.state import next_tag, state_of
from bot.panel.errors import InvalidOrder
from bot.render import mass_views
from bot.render.keyboards import page_count
from bot.render.order_views import (
    Screen,
    ServiceCard,
    Tr,
    card_screen,
    categories_screen,
    category_title,
    esc,
    platform_label,
    platforms_screen,
    results_title,
    search_screen,
    services_screen,
)
from bot.render.order_views_input import LABELS, confirm_screen, field_screen
from bot.runtime import Runtime, runtime
from bot.storage.catalogue import CachedService
from bot.storage.paging import Page, fetch_page
from bot.telegram.screens import show

CATEGORIES_PER_PAGE = 10
SERVICES_PER_PAGE = 8


class ServiceGone(Exception):
    """The chosen service was hidden or is no longer listed."""


async def chosen_service(rt: Runtime, flow: dict[str, Any]) -> CachedService:
    """The flow's service as the catalogue has it now; ServiceGone when customers can no longer order it."""
    panel, service_id = flow["service"]
    found = await catalogue.get_service(rt.db, panel, service_id)
    if found is None:
        raise ServiceGone(f"{panel}:{service_id}")
    return found


async def _service_list(rt: Runtime, tr: Tr, flow: dict[str, Any], title: str, services: list[CachedService],
                        page: int, pages: int) -> Screen:
    """A page of services with their prices; remembers which service each row is."""
    markup = rt.settings.shop.markup_percent
    rates = await pricing.shown_rates(rt.db, services, markup)
    rows = [(s.name, rate) for s, rate in zip(services, rates, strict=True)]
    flow["listed"] = [[s.panel, s.service_id] for s in services]
    return services_screen(tr, title, rows, rt.settings.shop.shop_currency, page, pages, next_tag(flow))


async def render_platforms(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int) -> Screen:
    """The platforms that have something to order (⭐ Favourites first when the customer has any)."""
    found = await catalogue.platforms(rt.db)
    flow["platforms"] = {p.key: p.label for p in found}
    return platforms_screen(tr, [(p.key, p.label) for p in found], next_tag(flow),
                            mass=rt.settings.storefront.mass_order_enabled,
                            favourites=await favourites.any_listed(rt.db, user_id))


async def render_favourites(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int) -> Screen:
    """The customer's starred services, with their prices."""
    starred = await favourites.listed(rt.db, user_id)
    return await _service_list(rt, tr, flow, tr("order.title_favourites"), starred, 0, 1)


async def render_categories(rt: Runtime, tr: Tr, flow: dict[str, Any]) -> Screen:
    """One page of the chosen platform's categories."""
    platform = flow["platform"]

    async def fetch(offset: int, limit: int) -> Page:
        return await catalogue.categories(rt.db, platform, offset=offset, limit=limit)

    result, flow["cpage"] = await fetch_page(fetch, flow.get("cpage", 0), CATEGORIES_PER_PAGE)
    label = platform_label(tr, platform, flow.get("platforms", {}).get(platform, platform))
    return categories_screen(tr, label, [(c.id, c.name) for c in result.items], flow["cpage"],
                             page_count(result.total, CATEGORIES_PER_PAGE), next_tag(flow))


async def render_services(rt: Runtime, tr: Tr, flow: dict[str, Any]) -> Screen:
    """One page of the chosen category's services."""
    category = await catalogue.get_category(rt.db, flow["category"])

    async def fetch(offset: int, limit: int) -> Page:
        return await catalogue.services(rt.db, flow["category"], offset=offset, limit=limit)

    result, flow["spage"] = await fetch_page(fetch, flow.get("spage", 0), SERVICES_PER_PAGE)
    title = category_title(tr, category.name if category else "")
    return await _service_list(rt, tr, flow, title, result.items, flow["spage"],
                               page_count(result.total, SERVICES_PER_PAGE))


async def render_results(rt: Runtime, tr: Tr, flow: dict[str, Any]) -> Screen:
    """One page of the services matching the search words."""
    query = flow["query"]

    async def fetch(offset: int, limit: int) -> Page:
        return await catalogue.search(rt.db, query, offset=offset, limit=limit)

    result, flow["rpage"] = await fetch_page(fetch, flow.get("rpage", 0), SERVICES_PER_PAGE)
    title = results_title(tr, query, found=bool(result.items))
    return await _service_list(rt, tr, flow, title, result.items, flow["rpage"],
                               page_count(result.total, SERVICES_PER_PAGE))


async def render_card(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int) -> Screen:
    """The chosen service's card with its price after markup."""
    service = await chosen_service(rt, flow)
    price = await pricing.shown_rate(rt.db, service, rt.settings.shop.markup_percent)
    card = ServiceCard(name=service.name, price_minor=price, per_package=pricing.rate_per(service.type) == 1,
                       min=service.min, max=service.max, refill=service.refill, cancel=service.cancel,
                       dripfeed=service.dripfeed, description=service.description,
                       currency=rt.settings.shop.shop_currency, service_id=service.service_id)
    starred = await favourites.is_favourite(rt.db, user_id, service.panel, service.service_id)
    return card_screen(tr, card, next_tag(flow), favourite=starred)


async def render_field(rt: Runtime, tr: Tr, flow: dict[str, Any]) -> Screen:
    """The prompt of the field being asked, with its bounds."""
    service = (await chosen_service(rt, flow)).to_service()
    field, answers = flow["field"], flow["answers"]
    ctx = context_for(service, answers)
    again = flow.get("again") if field == "quantity" else None
    return field_screen(tr, field, prompt_params(field, ctx), next_tag(flow),
                        optional=is_optional(service, field, answers), delays=ctx.allowed_delays,
                        suggest=again.get("quantity") if isinstance(again, dict) else None)


async def render_confirm(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int) -> Screen:
    """The confirmation card; InvalidOrder when the answers do not make an order the panel takes.

    The card's offer (request and quote) is kept in the flow: Confirm places exactly it, at that price.
    """
    cached = await chosen_service(rt, flow)
    offer = await offers.make_offer(rt.db, cached, build_request(cached.to_service(), flow["answers"]),
                                    rt.settings.shop.markup_percent)
    flow["offer"] = {"request": offer.request.model_dump(mode="json", exclude_none=True),
                     "quote": offer.quote.as_json()}
    balance = await wallet.balance(rt.db, user_id)
    shown = {f: v for f, v in flow["answers"].items() if v is not None}
    return confirm_screen(tr, service_name=cached.name, answers=shown, total_minor=offer.quote.price,
                          balance_minor=balance, currency=rt.settings.shop.shop_currency, tag=next_tag(flow))


async def render_mass_preview(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int) -> Screen:
    """The mass order's preview, priced now; the valid lines are kept for Confirm."""
    preview = await mass_order.preview(rt.db, rt.panels.names, user_id, flow["mass_text"],
                                       rt.settings.shop.markup_percent)
    flow["mass"] = mass_order.kept(preview)
    return mass_views.preview_screen(tr, preview, rt.settings.shop.shop_currency, next_tag(flow))


async def render_step(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int, problem: str | None = None) -> Screen:
    """The screen of the flow's current step, after `problem` when there is one.

    ServiceGone and InvalidOrder propagate: the caller moves the flow and renders again.
    """
    screen = await _render(rt, tr, flow, user_id)
    return screen if problem is None else Screen(f"{problem}\n\n{screen.text}", screen.markup)


async def _render(rt: Runtime, tr: Tr, flow: dict[str, Any], user_id: int) -> Screen:
    """The screen of the flow's step, without any problem line."""
    step = flow["step"]
    if step == "platforms":
        return await render_platforms(rt, tr, flow, user_id)
    if step == "favourites":
        return await render_favourites(rt, tr, flow, user_id)
    if step == "categories":
        return await render_categories(rt, tr, flow)
    if step == "services":
        return await render_services(rt, tr, flow)
    if step == "results":
        return await render_results(rt, tr, flow)
    if step == "search":
        return search_screen(tr, next_tag(flow))
    if step == "card":
        return await render_card(rt, tr, flow, user_id)
    if step == "field":
        return await render_field(rt, tr, flow)
    if step == "mass":
        return mass_views.prompt_screen(tr, next_tag(flow))
    if step == "mass_preview":
        return await render_mass_preview(rt, tr, flow, user_id)
    return await render_confirm(rt, tr, flow, user_id)


async def present(update: Update, context: ContextTypes.DEFAULT_TYPE, flow: dict[str, Any], *,
                  problem: str | None = None, edit: bool = True) -> str:
    """Show the flow's current step (editing the pressed message, or as a new one); its state.

    A service that disappeared sends the flow back to its list; answers the panel's rules
    refuse send it back to the field at fault. Either way the customer reads why.
    """
    rt, tr = runtime(context), await translator(update, context)
    user_id = update.effective_user.id if update.effective_user else 0
    for _ in range(3):  # gone -> list never fails again; refused -> field can only find it gone
        try:
            screen = await render_step(rt, tr, flow, user_id, problem)
            break
        except ServiceGone:
            moves.service_gone(flow)
            problem = tr("order.service_gone")
        except InvalidOrder as exc:
            moves.to_field(flow, exc.field)
            label = tr(LABELS[exc.field]) if exc.field in LABELS else exc.field
            problem = tr("order.err_combination", field=esc(label))
    else:
        raise RuntimeError("the order flow could not settle on a step")
    await show(update, screen, edit=edit)
    return state_of(flow)
