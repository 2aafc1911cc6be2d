"""The shop's catalogue: every panel's services cached in SQLite, browsed by platform and category.

`refresh_catalogue` is what the scheduler and the admin /sync call. A panel that fails (or
answers an empty list, which real panels do during maintenance) keeps its last good catalogue.
Customers never see hidden or no-longer-listed services.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.domain import currency, routing
from bot.domain.platforms import OTHER, PLATFORM_LABELS, detect_platform
from bot.panel.errors import PanelError
from bot.panel.models import OrderType, Service
from bot.storage import catalogue as store
from bot.storage import curation as curation_store
from bot.storage.catalogue import CachedService, Category
from bot.storage.db import Database
from bot.storage.paging import Page

if TYPE_CHECKING:
    from bot.panel.client import PanelClient

log = logging.getLogger(__name__)

MAX_SEARCH_WORDS = 8
MAX_WORD_CHARS = 64


@dataclass(frozen=True)
class PriceChange:
    """A service whose panel rate changed since the last fetch."""

    service_id: str
    name: str
    old_rate: Decimal
    new_rate: Decimal


@dataclass(frozen=True)
class PanelRefresh:
    """What one panel's refresh did (error set = the cached catalogue was kept)."""

    panel: str
    error: str | None = None
    total: int = 0
    new: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    removed_names: dict[str, str] = field(default_factory=dict)  # id -> the name customers saw
    price_changes: list[PriceChange] = field(default_factory=list)
    # newly listed services of types the bot cannot order (hidden from customers): the panel's word -> ids
    unsupported: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class RefreshReport:
    """Every panel's refresh, for the admin /sync reply."""

    panels: list[PanelRefresh]

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.panels)


@dataclass(frozen=True)
class Platform:
    """A platform with how many categories a customer can open in it."""

    key: str
    label: str
    category_count: int


def _unique(services: Iterable[Service]) -> list[Service]:
    """First occurrence of each service id (panels sometimes list one twice)."""
    seen: dict[str, Service] = {}
    for service in services:
        seen.setdefault(service.id, service)
    return list(seen.values())


def _error_text(exc: BaseException) -> str:
    # PanelError messages are the panel's words (never the key); other errors show only their type
    return exc.message if isinstance(exc, PanelError) else f"unexpected {type(exc).__name__}"


async def _store(db: Database, panel: str, services: list[Service], new_hidden: bool = False) -> PanelRefresh:
    async with db.transaction() as conn:
        before = await store.panel_rates(conn, panel)
        told = await store.unsupported_ids(conn, panel)
        ids = await store.category_ids(conn, {s.category: detect_platform(s.category) for s in services})
        await store.replace_panel_services(conn, panel, services, ids, new_hidden=new_hidden)
        await curation_store.apply_overrides(conn, panel)  # the admins' names survive the refresh
        await store.record_fetch(conn, panel, error=None, service_count=len(services))
    fresh = {s.id: s for s in services}
    unsupported: dict[str, list[str]] = {}
    for s in services:  # told once: when it first appears, or first turns out to be of an unknown type
        if s.type is OrderType.UNSUPPORTED and s.id not in told:
            unsupported.setdefault(s.type_raw, []).append(s.id)
    return PanelRefresh(
        panel=panel,
        total=len(services),
        new=[sid for sid in fresh if sid not in before],
        removed=[sid for sid in before if sid not in fresh],
        removed_names={sid: before[sid][0] for sid in before if sid not in fresh},
        price_changes=[
            PriceChange(sid, s.name, before[sid][1], s.rate)
            for sid, s in fresh.items() if sid in before and before[sid][1] != s.rate
        ],
        unsupported=unsupported,
    )


async def _fetch(client: PanelClient) -> list[Service]:
    services = _unique(await client.services())
    if not services:
        raise PanelError(client.name, "the panel listed no services")
    return services


async def _learn_currency(db: Database, client: PanelClient) -> None:
    """Read a panel's balance once to know its currency (bot/domain/currency.py); a failure is retried next time."""
    try:
        await currency.note_balance(db, client.name, await client.balance())
    except Exception as exc:  # never stops the refresh; asked again on the next one
        log.info("currency of panel %s not read yet: %s", client.name, _error_text(exc))


async def _record_failure(db: Database, panel: str, exc: Exception) -> PanelRefresh:
    error = _error_text(exc)
    log.warning("catalogue of panel %s not refreshed: %s", panel, error)
    async with db.transaction() as conn:
        await store.record_fetch(conn, panel, error=error)
    return PanelRefresh(panel=panel, error=error)


async def refresh_catalogue(db: Database, clients: Iterable[PanelClient], *, new_hidden: bool = False
                            ) -> RefreshReport:
    """Refresh every panel (fetched concurrently, stored one by one); pass the PanelHub itself.

    `new_hidden` (CATALOGUE_NEW_HIDDEN): services seen for the first time arrive hidden from customers.
    """
    clients = list(clients)
    known = await currency.conversions(db)
    unknown = [c for c in clients if c.name not in known]
    # a panel's currency is learnt before its services are first shown, so they are never sold at 1:1
    await asyncio.gather(*(_learn_currency(db, c) for c in unknown))
    fetched = await asyncio.gather(*(_fetch(c) for c in clients), return_exceptions=True)
    reports = []
    for client, result in zip(clients, fetched, strict=True):
        if isinstance(result, Exception):  # one broken panel must not stop the others
            reports.append(await _record_failure(db, client.name, result))
        elif isinstance(result, BaseException):
            raise result  # cancellation is not a panel's failure
        else:
            reports.append(await _store(db, client.name, result, new_hidden))
    return RefreshReport(reports)


async def platforms(db: Database) -> list[Platform]:
    """Platforms that have something to order, in the shop's order ('other' last)."""
    counts = await store.platform_counts(db.conn)
    order = list(PLATFORM_LABELS)
    return [
        Platform(key, PLATFORM_LABELS.get(key, key), counts[key])
        for key in sorted(counts, key=lambda k: order.index(k) if k in order else order.index(OTHER))
    ]


async def categories(
    db: Database, platform: str | None = None, *, offset: int = 0, limit: int = 10
) -> Page[Category]:
    """Categories of a platform (None = all) a customer can open, one page."""
    return await store.categories(db.conn, platform, offset=offset, limit=limit)


async def get_category(db: Database, category_id: int) -> Category | None:
    """A category by its short id (None when unknown)."""
    return await store.get_category(db.conn, category_id)


async def services(db: Database, category_id: int, *, offset: int = 0, limit: int = 10) -> Page[CachedService]:
    """Services of a category a customer can order, one page."""
    return await store.services_in_category(db.conn, category_id, offset=offset, limit=limit)


async def search(db: Database, text: str, *, offset: int = 0, limit: int = 10) -> Page[CachedService]:
    """Services whose name or category contains every word of `text` (any case), one page."""
    words = [w[:MAX_WORD_CHARS] for w in text.split()][:MAX_SEARCH_WORDS]
    if not words:
        return Page(items=[], total=0, offset=offset, limit=limit)
    return await store.search(db.conn, words, offset=offset, limit=limit)


async def get_service(
    db: Database, panel: str, service_id: str, *, for_customer: bool = True
) -> CachedService | None:
    """One service; for customers None when it is hidden or no longer listed, and a routed one as its route."""
    found = await store.get_service(db.conn, panel, service_id)
    if found is None or (for_customer and (found.hidden or not found.available)):
        return None
    return await routing.customer_view(db, found) if for_customer else found


async def set_service_hidden(db: Database, panel: str, service_id: str, hidden: bool) -> bool:
    """Admin /hide and /show of one service; False when it is not in the cache."""
    async with db.transaction() as conn:
        return await store.set_service_hidden(conn, panel, service_id, hidden)


async def set_category_hidden(db: Database, category_id: int, hidden: bool) -> bool:
    """Admin /hide and /show of a whole category; False when the id is unknown."""
    async with db.transaction() as conn:
        return await store.set_category_hidden(conn, category_id, hidden)
