"""Routes: one shop service over equivalent services of several panels, with safe failover.

ordering.place_order charges the customer and records the order as usual, then calls `add` here
instead of the panel's own `add`. For a service in no route that is just the panel's `add`.
For a routed one, the providers are tried in the route's policy order, those that cannot take
the order skipped before sending (route_plan.py decides both):

- Before each `add` one transaction points the `submitting` order at that provider and writes
  the attempt as `sending`: a crash mid-add leaves the order `unknown` on the panel that may hold
  it. Status, refill and cancel follow orders.panel, so they go to whoever holds the order.
- The next provider is tried ONLY after a clear refusal that says nothing about the customer's
  input: no funds, service disabled/unknown, link refused by that panel (an active order),
  key refused, or the connection was refused before anything was sent (PanelUnavailable).
  Refusals about the input (bad link, quantity, invalid request, anything unrecognised) end
  the order as a single-panel refusal would. An unknown outcome (timeout, 5xx, unreadable
  answer) ends the routing at once: OutcomeUnknown goes up and the order is held for an admin.
- Each provider is tried at most once per order (UNIQUE(order_id, panel)); the price never changes.
Clear refusals in a row cool a provider off for COOL_SECONDS after COOL_AFTER of them; each
failover and cool-off is written to route_events for the admin group (failovers once per panel
per ALERT_QUIET_SECONDS). Nothing here knows Telegram.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.domain import currency
from bot.domain.route_plan import Candidate, plan, request_for
from bot.panel.errors import (
    InvalidOrder,
    OutcomeUnknown,
    PanelError,
    PanelRefused,
    PanelUnavailable,
    RefusalKind,
)
from bot.panel.models import OrderRequest
from bot.storage import catalogue as catalogue_store
from bot.storage import route_health, routes
from bot.storage.catalogue import CachedService
from bot.storage.db import Database
from bot.storage.routes import Route

if TYPE_CHECKING:
    from aiosqlite import Connection

    from bot.panel.client import PanelClient
    from bot.panel.hub import PanelHub
    from bot.storage.order_writes import NewOrder

log = logging.getLogger(__name__)

COOL_AFTER = 3  # clear refusals in a row before a provider cools off
COOL_SECONDS = 15 * 60
ALERT_QUIET_SECONDS = 60 * 60  # failover alerts: once per provider per hour
# panel refusals after which another provider may take the same order
FAILOVER_KINDS = frozenset({RefusalKind.PANEL_FUNDS, RefusalKind.SERVICE_GONE, RefusalKind.ACTIVE_ORDER,
                            RefusalKind.INVALID_KEY})


def fails_over(exc: Exception) -> bool:
    """Whether another provider may be tried after this error of `add` (nothing was placed)."""
    if isinstance(exc, PanelRefused):
        return exc.kind in FAILOVER_KINDS
    return isinstance(exc, PanelUnavailable)  # connection refused before sending, or HTTP 429


async def add(db: Database, panels: PanelHub, client: PanelClient, order_id: int, new: NewOrder,
              request: OrderRequest) -> str:
    """Place the recorded order: on `client` alone, or across the route its service is in.

    Returns the panel's order id, or raises what the last `add` raised (PanelRefused,
    PanelUnavailable, InvalidOrder, OutcomeUnknown...) for ordering.py to settle.
    """
    route = await routes.route_of(db.conn, new.panel, new.service_id)
    if route is None:
        return await client.add(request)
    return await _routed_add(db, panels, route, order_id, new, request)


async def _routed_add(db: Database, panels: PanelHub, route: Route, order_id: int, new: NewOrder,
                      request: OrderRequest) -> str:
    last_error: PanelRefused | PanelUnavailable | None = None
    planned = list(enumerate(await plan(db, panels, route, new, request)))
    unrecorded_skips = [(seq, c) for seq, c in planned if c.skip is not None]
    for seq, candidate in planned:
        service = candidate.service
        if candidate.skip is not None or service is None:
            continue
        async with db.transaction() as conn:  # recorded before the request can leave
            await _record_skips(conn, order_id, unrecorded_skips)
            unrecorded_skips = []
            if not await routes.move_order(conn, order_id, candidate.member, _basis(candidate, service)):
                raise OutcomeUnknown(candidate.member.panel, "the order is no longer being placed")
            await routes.add_attempt(conn, order_id, seq, candidate.member, candidate.cost, "sending")
        try:
            panel_order_id = await panels.get(candidate.member.panel).add(request_for(request, service))
        except (PanelRefused, PanelUnavailable) as exc:
            if not fails_over(exc):
                await _settle(db, order_id, seq, "refused", exc.message)
                raise
            await _refused(db, route, order_id, seq, candidate, exc)
            last_error = exc
            continue
        except InvalidOrder as exc:
            await _settle(db, order_id, seq, "invalid", exc.message)
            raise
        except OutcomeUnknown as exc:
            await _settle(db, order_id, seq, "unknown", exc.message)
            raise
        # CancelledError and the unexpected go up as they are: the attempt stays `sending`
        # (read as unknown) and ordering.py holds the order for reconciliation
        async with db.transaction() as conn:
            await routes.set_attempt(conn, order_id, seq, "accepted", str(panel_order_id))
            await route_health.note_accepted(conn, candidate.member.panel, candidate.panel_cost)
        return panel_order_id
    if last_error is not None:
        raise last_error
    async with db.transaction() as conn:
        await _record_skips(conn, order_id, unrecorded_skips)
    raise PanelUnavailable(route.name, "no provider of the route can take this order now")


def _basis(candidate: Candidate, service: CachedService) -> routes.ProviderBasis:
    """What the order takes from the provider about to get its `add` (never the price or markup)."""
    return routes.ProviderBasis(refill=service.refill, cancel=service.cancel, rate=service.rate,
                                exchange_rate=candidate.exchange_rate, currency=candidate.currency,
                                cost=candidate.panel_cost)


async def _record_skips(conn: Connection, order_id: int, skipped: list[tuple[int, Candidate]]) -> None:
    """The providers passed over, written with the first attempt (so /order shows every provider)."""
    for seq, candidate in skipped:
        await routes.add_attempt(conn, order_id, seq, candidate.member, candidate.cost, "skipped", candidate.skip)


async def _settle(db: Database, order_id: int, seq: int, outcome: str, reason: str) -> None:
    async with db.transaction() as conn:
        await routes.set_attempt(conn, order_id, seq, outcome, reason)


async def _refused(db: Database, route: Route, order_id: int, seq: int, candidate: Candidate,
                   exc: PanelRefused | PanelUnavailable) -> None:
    """A clear refusal: record it, count it towards a cool-off, and leave the admins a failover event."""
    panel = candidate.member.panel
    outcome = "refused" if isinstance(exc, PanelRefused) else "not_sent"
    now = datetime.now(UTC)
    cooled_until = (now + timedelta(seconds=COOL_SECONDS)).isoformat(timespec="seconds")
    quiet_since = (now - timedelta(seconds=ALERT_QUIET_SECONDS)).isoformat(timespec="seconds")
    async with db.transaction() as conn:
        await routes.set_attempt(conn, order_id, seq, outcome, exc.message)
        await route_health.add_event(conn, "failover", panel, order_id, f"{route.name}: {exc.message}",
                               quiet_since=quiet_since)
        if await route_health.note_refusal(conn, panel, COOL_AFTER, cooled_until):
            await route_health.add_event(conn, "cooled", panel, order_id, f"{COOL_AFTER} refusals in a row",
                                   quiet_since=None)
    log.warning("order %s: %s refused by %s (%s); trying the next provider of route %s",
                order_id, outcome, panel, exc.message, route.name)


async def refresh_balances(db: Database, panels: PanelHub) -> dict[str, Decimal]:
    """Read the balance of every configured panel in some route; the ones read (failures are skipped)."""
    routed = {panel for panel, _ in await routes.routed_services(db.conn)}
    read: dict[str, Decimal] = {}
    for panel in routed & set(panels.names):
        try:
            read[panel] = (await panels.get(panel).balance()).amount
        except PanelError as exc:
            log.info("balance of %s not read for routing: %s", panel, exc.message)
    async with db.transaction() as conn:
        for panel, amount in read.items():
            await route_health.set_balance(conn, panel, amount)
    return read


async def cooled_panels(db: Database) -> dict[str, datetime]:
    """Panels routing skips now for repeated refusals, with when that ends."""
    now = datetime.now(UTC)
    return {h.panel: h.cooled_until for h in (await route_health.health(db.conn)).values()
            if h.cooled_until is not None and h.cooled_until > now}


async def order_attempts(db: Database, order_id: int) -> list[routes.Attempt]:
    """The providers a routed order was tried at or skipped, in order (empty: not routed)."""
    return await routes.attempts(db.conn, order_id)


async def pending_events(db: Database) -> list[route_health.Event]:
    """Failovers and cool-offs the admin group has not been told of yet."""
    return await route_health.unposted(db.conn)


async def events_posted(db: Database, event_ids: list[int]) -> None:
    async with db.transaction() as conn:
        await route_health.mark_posted(conn, event_ids)


async def customer_view(db: Database, service: CachedService) -> CachedService | None:
    """How a customer sees a service: a routed one with the route's min–max intersection and the
    refill/cancel/drip-feed flags only when every orderable member has them (None: nothing fits)."""
    route = await routes.route_of(db.conn, service.panel, service.service_id)
    if route is None:
        return service
    members = [await catalogue_store.get_service(db.conn, m.panel, m.service_id) for m in route.members]
    conversions = await currency.conversions(db)
    usable = [s for s in members if s is not None and s.available and not s.hidden and s.type == service.type
              and conversions.get(s.panel, (None, Decimal(1)))[1] is not None]
    if not usable:
        return service
    low, high = max(s.min for s in usable), min(s.max for s in usable)
    if low > high:
        return None
    return replace(service, min=low, max=high, refill=all(s.refill for s in usable),
                   cancel=all(s.cancel for s in usable), dripfeed=all(s.dripfeed for s in usable))
