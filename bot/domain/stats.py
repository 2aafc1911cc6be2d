"""The operators' figures: shop statistics per period (/stats) and each panel's health (/panels).

Money rules of /stats, for orders created in the period:
- turnover = what customers paid, net of refunds (price − refunded, exact integers);
- cost = what the panels charged: the panel's own `charge` when it reported one, else the
  panel rate × delivered units (remains subtracted); nothing for orders a panel gave back
  (failed, canceled, refunded) or never took (no panel order id: refused or unknown);
- costs are in the panel's currency and converted with the exchange rate the order was placed at;
- profit = turnover − cost. Orders still held as `unknown` count in turnover (the money is held).
Customers leave out the operators' ids (ADMIN_IDS): writing in the admin group records them as users.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.money import to_minor
from bot.panel.errors import PanelError
from bot.panel.models import Balance, OrderStatus
from bot.storage import catalogue as catalogue_store
from bot.storage import panel_state, stats
from bot.storage.db import Database
from bot.storage.stats import OrderCostBasis, UserCounts

if TYPE_CHECKING:
    from bot.panel.client import PanelClient
    from bot.panel.hub import PanelHub

_GIVEN_BACK = frozenset({OrderStatus.FAILED, OrderStatus.CANCELED, OrderStatus.REFUNDED})


class Period(StrEnum):
    """What /stats covers: since midnight UTC, the last 7 or 30 days, or everything."""

    TODAY = "today"
    WEEK = "7d"
    MONTH = "30d"
    ALL = "all"

    def since(self, now: datetime) -> datetime:
        """The period's first instant (UTC) as seen at `now`."""
        now = now.astimezone(UTC)
        if self is Period.TODAY:
            return now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self is Period.ALL:
            return datetime(1970, 1, 1, tzinfo=UTC)
        return now - timedelta(days=7 if self is Period.WEEK else 30)


@dataclass(frozen=True)
class ShopStats:
    """/stats for one period; money in minor units."""

    period: Period
    since: datetime
    customers: UserCounts
    orders: dict[str, int]
    turnover: int
    cost: int
    profit: int

    @property
    def order_total(self) -> int:
        return sum(self.orders.values())


@dataclass(frozen=True)
class PanelOverview:
    """/panels for one panel: balance (or why it is unknown), open orders, sync and catalogue state."""

    panel: str
    balance: Balance | None
    balance_error: str | None
    open_orders: int
    last_sync_at: datetime | None
    sync_error: str | None
    down_since: datetime | None
    services: int
    catalogue_at: datetime | None
    catalogue_error: str | None


def order_cost(basis: OrderCostBasis) -> Decimal:
    """What one accepted order cost the operator, in the shop currency (see the module docstring)."""
    if basis.status in _GIVEN_BACK:
        return Decimal(0)
    if basis.panel_charge is not None:
        return basis.panel_charge * basis.exchange_rate
    delivered = basis.quantity - max(0, min(basis.remains or 0, basis.quantity))
    return basis.rate / basis.rate_per * delivered * basis.exchange_rate


def _stored(moment: datetime) -> str:
    """A datetime in the stored text format (clock.now_text), for comparisons in SQL."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def shop_stats(db: Database, period: Period, *, operators: Collection[int] = (),
                     now: datetime | None = None) -> ShopStats:
    """Customers (the operators' own ids left out), orders by status, turnover, cost and profit of one period."""
    since = period.since(now or datetime.now(UTC))
    key = _stored(since)
    turnover = await stats.paid_net(db.conn, key)
    cost = to_minor(sum((order_cost(b) for b in await stats.cost_bases(db.conn, key)), Decimal(0)))
    return ShopStats(
        period=period, since=since, customers=await stats.user_counts(db.conn, key, exclude=operators),
        orders=await stats.orders_by_status(db.conn, key), turnover=turnover, cost=cost, profit=turnover - cost,
    )


async def _balance(client: PanelClient) -> Balance | str:
    try:
        return await client.balance()
    except PanelError as exc:  # the panel's words never carry the key
        return exc.message
    except Exception as exc:  # one broken panel must not hide the others
        return f"unexpected {type(exc).__name__}"


async def panel_overview(db: Database, hub: PanelHub) -> list[PanelOverview]:
    """Every configured panel: its balance (asked now, concurrently), open orders, last sync and catalogue."""
    clients = list(hub)
    balances = await asyncio.gather(*(_balance(c) for c in clients))
    open_counts = await stats.open_orders_by_panel(db.conn)
    states = {s.panel: s for s in await panel_state.all_states(db.conn)}
    fetches = {f.panel: f for f in await catalogue_store.fetch_records(db.conn)}
    found = []
    for client, balance in zip(clients, balances, strict=True):
        state, fetch = states.get(client.name), fetches.get(client.name)
        found.append(PanelOverview(
            panel=client.name,
            balance=balance if isinstance(balance, Balance) else None,
            balance_error=balance if isinstance(balance, str) else None,
            open_orders=open_counts.get(client.name, 0),
            last_sync_at=state.last_sync_at if state else None,
            sync_error=state.last_error if state else None,
            down_since=state.down_since if state else None,
            services=fetch.service_count if fetch else 0,
            catalogue_at=fetch.fetched_at if fetch else None,
            catalogue_error=fetch.last_error if fetch else None,
        ))
    return found
