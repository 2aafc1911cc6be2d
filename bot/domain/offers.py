"""An offer: the one validated form of an order before it is charged — service, request and quote.

Both the confirmation card and `ordering.place_order` make it with `make_offer`, so an order's
request is checked against its service (bounds, fields, features) and priced by one function.
The card's quote then travels with Confirm: place_order charges it only while a fresh offer still
costs the same, otherwise it returns `PriceChanged` and charges nothing (issue #11 item 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.domain import pricing
from bot.domain.pricing import Quote
from bot.panel.models import OrderRequest
from bot.panel.order_types import build_add_params
from bot.storage.catalogue import CachedService
from bot.storage.db import Database


@dataclass(frozen=True)
class Offer:
    """What the customer is asked to confirm (or what place_order is about to charge)."""

    service: CachedService
    request: OrderRequest  # its type is the service's
    quote: Quote


async def make_offer(db: Database, service: CachedService, request: OrderRequest, default_markup: Decimal) -> Offer:
    """Validate `request` against `service` and price it; InvalidOrder when the panel's rules refuse it."""
    request = request.model_copy(update={"type": service.type, "service": service.service_id})
    build_add_params(request, service.to_service())
    quote = await pricing.quote(db, service, request, default_markup)
    return Offer(service, request, quote)
