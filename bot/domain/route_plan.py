"""Planning a routed order: which providers of its route may take it, in what order, and why the others
are skipped. bot/domain/routing.py tries them; nothing here writes or sends.

- `priority`: the route's member order; `cheapest`: lowest cost (the panel's rate for the
  order's billable units, no markup) first, ties in member order.
- A provider is skipped before sending when its service is gone or hidden, its type differs,
  it does not accept the request (quantity bounds...), it would cost more than the customer's
  confirmed price (unless the route allows a loss), it is cooling off, or its known balance
  (read at most BALANCE_FRESH_SECONDS ago) is below the cost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from bot.domain import currency
from bot.domain.pricing import compute_price, rate_per
from bot.panel.errors import InvalidOrder
from bot.panel.models import OrderRequest
from bot.panel.order_types import build_add_params
from bot.storage import catalogue as catalogue_store
from bot.storage import route_health
from bot.storage.catalogue import CachedService
from bot.storage.db import Database
from bot.storage.route_health import Health
from bot.storage.routes import Member, Route

if TYPE_CHECKING:
    from bot.panel.hub import PanelHub
    from bot.storage.order_writes import NewOrder


PRIORITY, CHEAPEST = "priority", "cheapest"
POLICIES = (PRIORITY, CHEAPEST)
BALANCE_FRESH_SECONDS = 15 * 60  # an older balance reading is not trusted for skipping


@dataclass(frozen=True)
class Candidate:
    """One member of a route for one order: what it would cost, and why it is skipped (if it is).

    `cost` is in the shop currency (minor units, compared with the customer's price); `panel_cost`
    in the panel's own currency (compared with its balance, stored on the order).
    """

    member: Member
    position: int
    service: CachedService | None
    cost: int
    skip: str | None = None
    panel_cost: Decimal = Decimal(0)
    exchange_rate: Decimal = Decimal(1)
    currency: str | None = None


def cost_of(service: CachedService, units: int, exchange: Decimal = Decimal(1)) -> int:
    """What the panel charges the operator for `units` billable units, in the shop currency (minor, no markup)."""
    return compute_price(service.rate, units, rate_per(service.type), Decimal(0), exchange)


def panel_cost_of(service: CachedService, units: int) -> Decimal:
    """The same in the panel's own currency, exact."""
    with localcontext() as ctx:
        ctx.prec = 60
        return service.rate / rate_per(service.type) * units


def _skip_reason(route: Route, service: CachedService | None, new: NewOrder, request: OrderRequest,
                 candidate: Candidate, health: Health | None, configured: bool, priced: bool,
                 now: datetime) -> str | None:
    cost = candidate.cost
    if service is None or not service.available or service.hidden:
        return "service gone or hidden"
    if not configured:
        return "panel not configured"
    if not priced:
        return "no exchange rate for the panel's currency"
    if service.type != new.type:
        return "different order type"
    try:
        build_add_params(request_for(request, service), service.to_service())
    except InvalidOrder as exc:
        return f"does not accept this order ({exc.message})"
    if cost > new.price and not route.allow_loss:
        return "costs more than the customer's price"
    if health is not None and health.cooled_until is not None and health.cooled_until > now:
        return "cooling off"
    if (health is not None and health.balance is not None and health.balance_at is not None
            and now - health.balance_at <= timedelta(seconds=BALANCE_FRESH_SECONDS)
            and health.balance < candidate.panel_cost):
        return "balance below the cost"
    return None


def request_for(request: OrderRequest, service: CachedService) -> OrderRequest:
    return request.model_copy(update={"service": service.service_id, "type": service.type})


async def plan(db: Database, panels: PanelHub, route: Route, new: NewOrder,
               request: OrderRequest) -> list[Candidate]:
    """Every member of the route in the order it will be tried (policy order), the skipped ones last."""
    health = await route_health.health(db.conn)
    conversions = await currency.conversions(db)
    now = datetime.now(UTC)
    names = set(panels.names)
    found = []
    for position, member in enumerate(route.members):
        service = await catalogue_store.get_service(db.conn, member.panel, member.service_id)
        money, exchange = conversions.get(member.panel, (None, Decimal(1)))
        candidate = Candidate(member, position, service, 0)
        if service is not None:
            candidate = replace(candidate, cost=cost_of(service, new.quantity, exchange or Decimal(1)),
                                panel_cost=panel_cost_of(service, new.quantity),
                                exchange_rate=exchange or Decimal(1), currency=money)
        skip = _skip_reason(route, service, new, request, candidate, health.get(member.panel),
                            member.panel in names, exchange is not None, now)
        found.append(replace(candidate, skip=skip))
    usable = [c for c in found if c.skip is None]
    if route.policy == CHEAPEST:
        usable.sort(key=lambda c: (c.cost, c.position))
    return usable + [c for c in found if c.skip is not None]
