"""The catalogue cache's row types: a cached service, a category with its visible count, a fetch record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import aiosqlite

from bot.panel.models import OrderType, Service


@dataclass(frozen=True)
class CachedService:
    """A cached service with its category id and platform; rate is per 1000 (per package for packages)."""

    panel: str
    service_id: str
    name: str
    type: OrderType
    type_raw: str
    category_id: int
    category: str
    platform: str
    rate: Decimal
    min: int
    max: int
    description: str | None
    dripfeed: bool
    refill: bool
    cancel: bool
    hidden: bool
    available: bool

    def to_service(self) -> Service:
        """The panel model of this service (what order_types and the chat validate against)."""
        return Service(
            panel=self.panel, id=self.service_id, name=self.name, type=self.type, type_raw=self.type_raw,
            category=self.category, rate=self.rate, min=self.min, max=self.max,
            description=self.description, dripfeed=self.dripfeed, refill=self.refill, cancel=self.cancel,
        )


@dataclass(frozen=True)
class Category:
    """A category with its short id and how many services a customer can see in it."""

    id: int
    name: str
    platform: str
    hidden: bool
    service_count: int


@dataclass(frozen=True)
class FetchRecord:
    """The last catalogue fetch of one panel."""

    panel: str
    fetched_at: datetime | None
    attempted_at: datetime
    last_error: str | None
    service_count: int


def service_from_row(row: aiosqlite.Row) -> CachedService:
    """A CachedService from a row of services joined with its category (category, platform, category_hidden)."""
    return CachedService(
        panel=row["panel"], service_id=row["service_id"], name=row["name"], type=OrderType(row["type"]),
        type_raw=row["type_raw"], category_id=row["category_id"], category=row["category"],
        platform=row["platform"], rate=Decimal(row["rate"]), min=row["min"], max=row["max"],
        description=row["description"], dripfeed=bool(row["dripfeed"]), refill=bool(row["refill"]),
        cancel=bool(row["cancel"]),
        hidden=bool(row["hidden"] or row["category_hidden"] or row["type"] == OrderType.UNSUPPORTED
                    or ("unpriced" in row.keys() and row["unpriced"])),
        available=bool(row["available"]),
    )
