"""The storefront Mini App's view of the shop rules: the whole catalogue at once, an order form's
typed values checked field by field, and the confirmed-quote check. No new rules live here: the
fields, parsers, bounds and prices are the chat's own (order_plan, order_input, offers.make_offer), and
the order itself goes through ordering.place_order with the quote the customer confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.domain import offers, pricing
from bot.domain.order_input import InputError, parse_field
from bot.domain.order_plan import build_request, context_for, fields_for, is_asked, is_optional, stored
from bot.panel.errors import InvalidOrder
from bot.panel.models import OrderRequest
from bot.storage import catalogue as store
from bot.storage.catalogue import CachedService
from bot.storage.db import Database

MAX_FIELD_CHARS = 200_000  # a thousand comments fit; anything larger is refused before parsing


@dataclass(frozen=True)
class ShownService:
    """A service with the price a customer sees per 1000 (per package for packages), in minor units."""

    service: CachedService
    shown_rate: int


@dataclass(frozen=True)
class FormCheck:
    """The typed form parsed field by field: clean answers, the first problem of each wrong field."""

    answers: dict[str, Any]
    errors: dict[str, InputError] = field(default_factory=dict)
    request: OrderRequest | None = None
    quote: pricing.Quote | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.quote is not None


async def storefront(db: Database, default_markup: Decimal) -> list[ShownService]:
    """Every service a customer can order, with its shown price (markups read once)."""
    services = await store.visible_services(db.conn)
    rates = await pricing.shown_rates(db, services, default_markup)
    return [ShownService(s, r) for s, r in zip(services, rates, strict=True)]


def form_fields(cached: CachedService) -> tuple[str, ...]:
    """The fields the service's type asks for, in the chat's order."""
    return fields_for(cached.to_service())


def check_form(cached: CachedService, raw: Mapping[str, Any], *, today: date | None = None) -> FormCheck:
    """Parse every field the chat would ask, in its order, with the chat's parsers and bounds.

    A blank optional field is skipped as the chat's Skip does; a blank required one is "empty".
    """
    service = cached.to_service()
    answers: dict[str, Any] = {}
    errors: dict[str, InputError] = {}
    for name in fields_for(service):
        if not is_asked(name, answers):
            continue
        text = raw.get(name)
        text = text if isinstance(text, str) else ("" if text is None else str(text))
        if not text.strip() and is_optional(service, name, answers):
            continue
        if len(text) > MAX_FIELD_CHARS:
            errors[name] = InputError("too_long", limit=MAX_FIELD_CHARS)
            continue
        try:
            answers[name] = stored(parse_field(name, text, context_for(service, answers, today)))
        except InputError as exc:
            errors[name] = exc
    if errors:
        return FormCheck(answers, errors)
    return FormCheck(answers, request=build_request(service, answers))


async def priced(db: Database, cached: CachedService, check: FormCheck, default_markup: Decimal) -> FormCheck:
    """The same check with its offer's quote (offers.make_offer: the chat's validation and price), unchanged
    when it has errors."""
    if check.errors or check.request is None:
        return check
    try:
        offer = await offers.make_offer(db, cached, check.request, default_markup)
    except InvalidOrder as exc:
        field = exc.field if exc.field in check.answers else "quantity"
        return FormCheck(check.answers, {field: InputError("empty")})
    return FormCheck(check.answers, request=offer.request, quote=offer.quote)


def quote_changed(quote: pricing.Quote, confirmed_price: object) -> bool:
    """The confirmed-quote rule: the customer confirmed `confirmed_price`; anything else is refused."""
    return not isinstance(confirmed_price, int) or isinstance(confirmed_price, bool) \
        or confirmed_price != quote.price


def is_optional_field(cached: CachedService, name: str) -> bool:
    """Whether the form may leave the field blank (the chat's Skip), before any answer is known."""
    if name == "interval":
        return True  # asked only with drip-feed runs, which are optional themselves
    return is_optional(cached.to_service(), name, {"posts": 1})


async def shown(db: Database, cached: CachedService, default_markup: Decimal) -> int:
    """The service page's price: per 1000, or per package."""
    return await pricing.shown_rate(db, cached, default_markup)
