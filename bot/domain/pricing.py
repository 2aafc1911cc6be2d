"""What a customer pays: the panel's rate plus the shop's markup, exact to the minor unit.

price = rate ÷ per × units × (1 + markup% ÷ 100), in Decimal, rounded half-up to the minor unit,
where `units` is order_types.billable_quantity(request) and `per` is 1000 — except package
types, whose rate is the price of one package (per = 1, units = 1).
Subscriptions are priced up front on their largest possible use: rate ÷ 1000 × max × posts
(posts + old_posts; our shop requires posts) is held, and statuses.py refunds the unused posts
when the subscription ends.
A panel selling in another currency than SHOP_CURRENCY is converted first: rate × exchange rate
(bot/domain/currency.py), in the same exact Decimal, before the markup; a missing exchange rate raises
NoExchangeRate (its services are hidden from customers anyway).

Markup resolution (inside, so callers never change when overrides appear): the service's own
row in `markups` > the shop-wide row ('*') > the MARKUP_PERCENT setting passed by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from bot.domain import currency
from bot.money import to_minor
from bot.panel.models import OrderRequest, OrderType
from bot.panel.order_types import PACKAGE_TYPES, billable_quantity
from bot.storage import markups
from bot.storage.catalogue import CachedService
from bot.storage.db import Database


@dataclass(frozen=True)
class Quote:
    """The price of one request, with the basis it was computed on (stored on the order)."""

    price: int  # minor units
    units: int  # billable units
    rate: Decimal  # the panel's rate ...
    rate_per: int  # ... per this many units
    markup: Decimal  # percent
    exchange_rate: Decimal = Decimal(1)  # shop units per unit of the panel's currency

    @property
    def cost(self) -> Decimal:
        """What the panel charges for it, in the panel's currency."""
        with localcontext() as ctx:
            ctx.prec = 60
            return self.rate / self.rate_per * self.units

    def as_json(self) -> dict[str, str | int]:
        """The quote as a JSON-friendly dict (the order flow keeps the card's quote in its persisted state)."""
        return {"price": self.price, "units": self.units, "rate": str(self.rate), "rate_per": self.rate_per,
                "markup": str(self.markup), "exchange_rate": str(self.exchange_rate)}

    @classmethod
    def from_json(cls, data: dict[str, str | int]) -> Quote:
        """A quote from as_json() (ValueError/KeyError/TypeError when it is not one)."""
        return cls(int(data["price"]), int(data["units"]), Decimal(str(data["rate"])), int(data["rate_per"]),
                   Decimal(str(data["markup"])), Decimal(str(data.get("exchange_rate", "1"))))


class NoExchangeRate(Exception):
    """The service's panel sells in a currency the shop has no exchange rate for."""


def rate_per(order_type: OrderType) -> int:
    """How many units the panel's rate is for: 1 for packages, 1000 otherwise."""
    return 1 if order_type in PACKAGE_TYPES else 1000


def compute_price(rate: Decimal, units: int, per: int, markup_percent: Decimal, exchange: Decimal = Decimal(1)) -> int:
    """rate × exchange ÷ per × units × (1 + markup%), exact, rounded half-up to the minor unit (never below 0)."""
    if units < 0:
        raise ValueError("units must not be negative")
    with localcontext() as ctx:
        ctx.prec = 60  # far beyond any rate × quantity, so only the final rounding rounds
        price = to_minor(rate * exchange / per * units * (1 + markup_percent / 100))
    return max(price, 0)


async def markup_for(db: Database, panel: str, service_id: str, default_percent: Decimal) -> Decimal:
    """The markup percent that applies to one service."""
    found = await markups.get_first(db.conn, (markups.service_scope(panel, service_id), markups.SHOP_WIDE))
    return default_percent if found is None else found


async def quote(
    db: Database, service: CachedService, request: OrderRequest, default_markup: Decimal
) -> Quote:
    """The price of `request` on `service` (InvalidOrder when the request lacks what is counted)."""
    request = request.model_copy(update={"type": service.type})
    units = billable_quantity(request)  # 1 for packages
    markup = await markup_for(db, service.panel, service.service_id, default_markup)
    exchange = await _exchange(db, service.panel)
    per = rate_per(service.type)
    return Quote(compute_price(service.rate, units, per, markup, exchange), units, service.rate, per, markup,
                 exchange)


async def _exchange(db: Database, panel: str) -> Decimal:
    found = await currency.exchange_rate(db, panel)
    if found is None:
        raise NoExchangeRate(panel)
    return found


async def shown_rate(db: Database, service: CachedService, default_markup: Decimal) -> int:
    """The service card's price with markup: per 1000 units, or per package (minor units)."""
    markup = await markup_for(db, service.panel, service.service_id, default_markup)
    return compute_price(service.rate, 1, 1, markup, await _exchange(db, service.panel))


async def shown_rates(db: Database, services: list[CachedService], default_markup: Decimal) -> list[int]:
    """shown_rate for a page of services, reading the markups and exchange rates once instead of once per row."""
    percents = {m.scope: m.percent for m in await markups.all_markups(db.conn)}
    default = percents.get(markups.SHOP_WIDE, default_markup)
    exchange = {panel: rate for panel, (_, rate) in (await currency.conversions(db)).items()}
    shown = []
    for s in services:
        rate = exchange.get(s.panel, Decimal(1))
        if rate is None:
            raise NoExchangeRate(s.panel)
        markup = percents.get(markups.service_scope(s.panel, s.service_id), default)
        shown.append(compute_price(s.rate, 1, 1, markup, rate))
    return shown
