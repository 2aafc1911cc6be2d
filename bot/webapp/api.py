"""Mini App API, the shop side: who am I, the catalogue, a service's form, a live quote, the order.

A front-end like bot/handlers/: it calls bot/domain functions (webshop, pricing, ordering, wallet)
and renders through the chat's own texts; no SQL, no rules of its own. Money leaves here in minor
units plus a display text made by bot.money.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from aiohttp import web

from bot.domain import catalogue, ordering, wallet, webshop
from bot.domain.order_input import prompt_params
from bot.domain.order_plan import asked_with, context_for
from bot.domain.order_results import Banned, InsufficientFunds, Placed, PriceChanged, Refused, Unknown
from bot.domain.pricing import rate_per
from bot.money import format_money
from bot.panel.order_types import ALLOWED_SUBSCRIPTION_DELAYS
from bot.render.order_views_input import (
    CHOICES,
    LABELS,
    PROMPTS,
    error_text,
    insufficient_text,
    placed_text,
    refused_text,
)
from bot.storage.catalogue import CachedService
from bot.telegram import alerts
from bot.webapp.context import Customer, customer, refusal
from bot.webapp.texts import ui_texts

_LISTS = {"comments", "usernames", "hashtags", "groups", "keywords"}
_NUMBERS = {"quantity", "runs", "interval", "answer_number", "min", "max", "posts", "old_posts"}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
TOKEN_PREFIX = "wa-"  # Mini App client tokens never meet the chat's flow nonces


def _money(c: Customer, minor: int) -> str:
    return format_money(minor, c.rt.settings.shop.shop_currency)


async def me(request: web.Request) -> web.Response:
    """The customer's language, the page's texts, the balance."""
    c = customer(request)
    balance = await wallet.balance(c.rt.db, c.id)
    return web.json_response({
        "lang": c.lang, "texts": ui_texts(c.rt.i18n, c.lang), "currency": c.rt.settings.shop.shop_currency,
        "balance": balance, "balance_text": _money(c, balance),
    })


async def catalogue_all(request: web.Request) -> web.Response:
    """Every orderable service as compact rows (the page filters and scrolls them itself)."""
    c = customer(request)
    shown = await webshop.storefront(c.rt.db, c.rt.settings.shop.markup_percent)
    categories: dict[int, list[Any]] = {}
    rows = []
    for item in shown:
        s = item.service
        categories.setdefault(s.category_id, [s.category_id, s.category, s.platform])
        rows.append([f"{s.panel}:{s.service_id}", s.name, s.category_id, item.shown_rate, _money(c, item.shown_rate),
                     s.min, s.max, int(s.refill), int(s.cancel), int(rate_per(s.type) == 1)])
    platforms = [[p.key, p.label] for p in await catalogue.platforms(c.rt.db)]
    body = json.dumps({"platforms": platforms, "categories": list(categories.values()), "services": rows},
                      ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization"}
    if etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    response = web.Response(body=body, content_type="application/json", headers=headers)
    response.enable_compression()
    return response


async def _service(request: web.Request, key: object) -> CachedService | None:
    if not isinstance(key, str) or ":" not in key or len(key) > 200:
        return None
    panel, service_id = key.split(":", 1)
    return await catalogue.get_service(customer(request).rt.db, panel, service_id)


def _field(c: Customer, cached: CachedService, name: str) -> dict[str, Any]:
    service = cached.to_service()
    choice = name == "delay" or name in CHOICES
    kind = "lines" if name in _LISTS else "number" if name in _NUMBERS else "choice" if choice else "text"
    spec: dict[str, Any] = {
        "name": name, "kind": kind, "label": c.tr(LABELS[name]),
        "prompt": c.tr(PROMPTS[name], **prompt_params(name, context_for(service, {}))),
        "optional": webshop.is_optional_field(cached, name),
    }
    when = asked_with(name)
    if when is not None:  # shown (and needed) only with that answer, as the chat asks it only then
        spec["when"] = list(when)
    if name == "delay":
        spec["choices"] = list(ALLOWED_SUBSCRIPTION_DELAYS)
    elif kind == "choice":  # [value, label]: the chat's button texts
        spec["choices"] = [[code, c.tr(msgid)] for code, msgid in CHOICES[name].items()]
    return spec


async def service_page(request: web.Request) -> web.Response:
    """One service: its description and the form fields its type needs."""
    c = customer(request)
    cached = await _service(request, request.query.get("key"))
    if cached is None:
        return refusal(404, "gone", c.tr("order.service_gone"))
    shown = (await webshop.shown(c.rt.db, cached, c.rt.settings.shop.markup_percent))
    return web.json_response({
        "key": f"{cached.panel}:{cached.service_id}", "name": cached.name, "category": cached.category,
        "description": cached.description or "", "price": shown, "price_text": _money(c, shown),
        "per_package": rate_per(cached.type) == 1, "min": cached.min, "max": cached.max,
        "refill": cached.refill, "cancel": cached.cancel,
        "fields": [_field(c, cached, name) for name in webshop.form_fields(cached)],
    })


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


async def _checked(request: web.Request, body: dict[str, Any]) -> tuple[CachedService | None, webshop.FormCheck | None]:
    c = customer(request)
    cached = await _service(request, body.get("key"))
    if cached is None:
        return None, None
    fields = body.get("fields") if isinstance(body.get("fields"), dict) else {}
    check = webshop.check_form(cached, fields)
    return cached, await webshop.priced(c.rt.db, cached, check, c.rt.settings.shop.markup_percent)


async def _quote_json(c: Customer, check: webshop.FormCheck) -> dict[str, Any]:
    if not check.ok:
        return {"ok": False, "errors": {name: error_text(c.tr, exc) for name, exc in check.errors.items()}}
    assert check.quote is not None
    balance = await wallet.balance(c.rt.db, c.id)
    price = check.quote.price
    return {"ok": True, "price": price, "price_text": _money(c, price), "balance": balance,
            "balance_text": _money(c, balance), "after_text": _money(c, balance - price),
            "short": balance < price, "short_text": _money(c, max(price - balance, 0))}


async def quote(request: web.Request) -> web.Response:
    """The live price of the form as typed, and the balance after; or each wrong field's reason."""
    c = customer(request)
    cached, check = await _checked(request, await _body(request))
    if cached is None or check is None:
        return refusal(404, "gone", c.tr("order.service_gone"))
    return web.json_response(await _quote_json(c, check))


async def place(request: web.Request) -> web.Response:
    """Place the confirmed order through ordering.place_order (the token makes it at-most-once)."""
    c = customer(request)
    body = await _body(request)
    token = body.get("token")
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return refusal(400, "token", c.tr("webapp.err_network"))
    cached, check = await _checked(request, body)
    if cached is None or check is None:
        return refusal(404, "gone", c.tr("order.service_gone"))
    if not check.ok or check.request is None or check.quote is None:
        return web.json_response({"outcome": "invalid", **await _quote_json(c, check)}, status=422)
    if webshop.quote_changed(check.quote, body.get("price")):
        # the confirmed-quote rule: never charge a price the customer did not see
        return web.json_response({"outcome": "quote_changed", "text": c.tr("webapp.price_changed"),
                                  **await _quote_json(c, check)}, status=409)
    rt = c.rt
    result = await ordering.place_order(
        rt.db, rt.panels, user_id=c.id, panel=cached.panel, request=check.request,
        client_token=TOKEN_PREFIX + token, default_markup=rt.settings.shop.markup_percent,
        confirmed=check.quote,  # charged exactly this, or PriceChanged (checked in place_order's transaction)
    )
    if isinstance(result, PriceChanged):  # it moved between our check and the charge: a fresh quote
        fresh = await webshop.priced(rt.db, cached, webshop.check_form(cached, body.get("fields") or {}),
                                     rt.settings.shop.markup_percent)
        return web.json_response({"outcome": "quote_changed", "text": c.tr("webapp.price_changed"),
                                  **await _quote_json(c, fresh)}, status=409)
    alerts.report_order(c.context(), result, c.user.username)
    return web.json_response(_outcome(c, result))


def _outcome(c: Customer, result: object) -> dict[str, Any]:
    if isinstance(result, Placed):
        return {"outcome": "placed", "order_id": result.order_id, "balance": result.balance_after,
                "text": placed_text(c.tr, result.order_id, result.price, result.balance_after,
                                    c.rt.settings.shop.shop_currency)}
    if isinstance(result, InsufficientFunds):
        return {"outcome": "insufficient", "text": insufficient_text(c.tr, result.price, result.balance,
                                                                     c.rt.settings.shop.shop_currency)}
    if isinstance(result, Refused):
        text = c.tr("order.unavailable") if result.unavailable else refused_text(c.tr, result.kind, result.bound)
        return {"outcome": "refused", "order_id": result.order_id, "text": text}
    if isinstance(result, Unknown):
        return {"outcome": "unknown", "order_id": result.order_id, "text": c.tr("order.unknown")}
    if isinstance(result, Banned):
        return {"outcome": "banned", "text": c.tr("common.banned")}
    raise TypeError(f"unexpected result {result!r}")


def add_routes(app: web.Application, base: str) -> None:
    app.router.add_get(base + "/me", me)
    app.router.add_get(base + "/catalogue", catalogue_all)
    app.router.add_get(base + "/service", service_page)
    app.router.add_post(base + "/quote", quote)
    app.router.add_post(base + "/order", place)
