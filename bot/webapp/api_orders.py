"""Mini App API, the customer's side: My orders (Refresh, Refill, Cancel) and Balance (top-up methods).

The texts are the chat's own: an order's card and the balance screen are rendered by the same
bot/render functions the chat uses, and Refresh/Refill/Cancel go through the chat's own
refresh_notice/request_notice (bot/handlers/my_orders.py), so both front-ends say and limit the same.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.domain import lookups, order_requests, wallet
from bot.handlers.balance import extra_buttons
from bot.handlers.my_orders import refresh_notice, request_notice
from bot.money import format_money
from bot.render.order_list_views import order_card_screen, status_text
from bot.render.wallet_views import balance_screen
from bot.storage.orders import Order
from bot.webapp.context import Customer, customer, refusal

PER_PAGE = 20
HISTORY_SHOWN = 10


async def _order_json(c: Customer, order: Order) -> dict[str, Any]:
    refills = await lookups.order_refills(c.rt.db, order.id)
    can_refill, can_cancel = order_requests.can_refill(order, refills), order_requests.can_cancel(order)
    card = order_card_screen(c.tr, order, lang=c.lang, currency=c.rt.settings.shop.shop_currency, page=0,
                             latest_refill=refills[-1] if refills else None,
                             can_refill=can_refill, can_cancel=can_cancel)
    return {"id": order.id, "name": order.service_name, "status": order.status,
            "status_text": status_text(c.tr, order.status), "quantity": order.quantity,
            "price_text": format_money(order.price, c.rt.settings.shop.shop_currency),
            "card": card.text, "can_refill": can_refill, "can_cancel": can_cancel}


def _offset(request: web.Request) -> int:
    raw = request.query.get("offset", "0")
    return min(int(raw), 10**6) if raw.isdigit() and len(raw) < 8 else 0


async def orders_list(request: web.Request) -> web.Response:
    """One page of the customer's orders, newest first, each with its card."""
    c = customer(request)
    page = await lookups.user_orders(c.rt.db, c.id, offset=_offset(request), limit=PER_PAGE)
    return web.json_response({"total": page.total, "offset": page.offset,
                              "items": [await _order_json(c, o) for o in page.items]})


async def order_action(request: web.Request) -> web.Response:
    """refresh / refill / cancel one of the customer's own orders; the notice and the card after."""
    c = customer(request)
    action, raw_id = request.match_info["action"], request.match_info["order_id"]
    if action not in ("refresh", "refill", "cancel") or not raw_id.isdigit() or len(raw_id) > 12:
        return refusal(404, "not_found", c.tr("orders.not_found"))
    order = await lookups.user_order(c.rt.db, c.id, int(raw_id))
    if order is None:  # someone else's order, or none at all: nothing happens
        return refusal(404, "not_found", c.tr("orders.not_found"))
    if action == "refresh":  # the chat's own notices, and its per-order Refresh cooldown
        notice = await refresh_notice(c.rt, c.tr, c.id, order.id)
    else:
        notice = await request_notice(c.rt, c.tr, action, c.id, order.id)
    order = await lookups.user_order(c.rt.db, c.id, order.id) or order
    return web.json_response({"notice": notice, "order": await _order_json(c, order)})


def _top_up_buttons(c: Customer) -> list[Any]:
    """The chat's Balance buttons of the other features: the top-up methods."""
    return extra_buttons(c.shop.application, c.rt, c.tr)


async def balance(request: web.Request) -> web.Response:
    """The balance with its latest changes (the chat's Balance text) and the top-up methods."""
    c = customer(request)
    amount = await wallet.balance(c.rt.db, c.id)
    entries = await wallet.history(c.rt.db, c.id, limit=HISTORY_SHOWN)
    screen = balance_screen(c.tr, amount, entries, currency=c.rt.settings.shop.shop_currency, lang=c.lang)
    return web.json_response({"balance": amount,
                              "balance_text": format_money(amount, c.rt.settings.shop.shop_currency),
                              "text": screen.text, "methods": [b.text for b in _top_up_buttons(c)]})


async def top_up(request: web.Request) -> web.Response:
    """Send the chat's Balance screen, with its top-up buttons, to the customer's private chat."""
    c = customer(request)
    amount = await wallet.balance(c.rt.db, c.id)
    entries = await wallet.history(c.rt.db, c.id, limit=HISTORY_SHOWN)
    screen = balance_screen(c.tr, amount, entries, currency=c.rt.settings.shop.shop_currency, lang=c.lang,
                            extra_buttons=_top_up_buttons(c))
    try:
        await c.shop.application.bot.send_message(c.id, screen.text, parse_mode=ParseMode.HTML,
                                                  reply_markup=screen.markup)
    except TelegramError:
        return refusal(502, "chat", c.tr("webapp.err_network"))
    return web.json_response({"text": c.tr("webapp.topup_sent")})


def add_routes(app: web.Application, base: str) -> None:
    app.router.add_get(base + "/orders", orders_list)
    app.router.add_post(base + "/orders/{order_id}/{action}", order_action)
    app.router.add_get(base + "/balance", balance)
    app.router.add_post(base + "/topup", top_up)
