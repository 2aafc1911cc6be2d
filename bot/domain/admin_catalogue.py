"""The operators' catalogue controls: markups (shop-wide or per service) and hiding categories/services.

Markups are what pricing.markup_for resolves (service row > shop-wide row > MARKUP_PERCENT).
A hide/show target is `panel:service_id` (a configured panel's service), a category id, or a
category's exact name in any case.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.domain import catalogue
from bot.domain.errors import NotFound
from bot.numbers import parse_whole
from bot.panel.models import OrderType
from bot.storage import catalogue as store
from bot.storage import markups
from bot.storage.catalogue import Category
from bot.storage.db import Database
from bot.storage.markups import Markup

MIN_MARKUP, MAX_MARKUP = Decimal(-100), Decimal(10000)  # the range MARKUP_PERCENT accepts
_CATEGORY_PAGE = 200


class TargetNotFound(NotFound):
    """No cached service or category is called this."""

    def __init__(self, target: str) -> None:
        super().__init__(f"no service or category {target} in the catalogue")
        self.target = target


@dataclass(frozen=True)
class Target:
    """What /hide and /show act on: a service (panel, service_id) or a category (category_id)."""

    label: str
    panel: str | None = None
    service_id: str | None = None
    category_id: int | None = None
    unsupported_type: str | None = None  # the panel's word, when the bot cannot order the service's type


def parse_percent(text: str) -> Decimal:
    """'12.5', '12,5%' -> Decimal('12.5'); ValueError outside MIN_MARKUP..MAX_MARKUP or not a number."""
    try:
        value = Decimal(text.strip().rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise ValueError("not a percent") from None
    if not value.is_finite() or not MIN_MARKUP <= value <= MAX_MARKUP:
        raise ValueError("percent out of range")
    return value


def split_service(text: str, panels: Collection[str]) -> tuple[str, str] | None:
    """'main:12' -> ('main', '12') when 'main' is a configured panel, else None."""
    panel, sep, service_id = text.strip().partition(":")
    return (panel, service_id) if sep and service_id and panel in panels else None


async def set_markup(db: Database, service: tuple[str, str] | None, percent: Decimal | None,
                     *, actor: int) -> Decimal | None:
    """Set (or with None drop) the shop-wide markup or one service's; the percent it replaced."""
    scope = markups.SHOP_WIDE
    if service is not None:
        if await catalogue.get_service(db, *service, for_customer=False) is None:
            raise TargetNotFound(f"{service[0]}:{service[1]}")
        scope = markups.service_scope(*service)
    async with db.transaction() as conn:
        before = await markups.get(conn, scope)
        if percent is None:
            await markups.delete(conn, scope)
        else:
            await markups.put(conn, scope, percent, actor)
    return before


async def markup_list(db: Database) -> list[Markup]:
    """Every markup row, shop-wide first."""
    return await markups.all_markups(db.conn)


async def all_categories(db: Database, limit: int = 1000) -> list[Category]:
    """Categories that list something, hidden ones included, by id (at most `limit`)."""
    found: list[Category] = []
    while len(found) < limit:
        page = await store.categories(db.conn, None, offset=len(found), limit=_CATEGORY_PAGE, include_hidden=True)
        found += page.items
        if not page.has_next:
            break
    return found[:limit]


async def find_target(db: Database, text: str, panels: Collection[str]) -> Target:
    """The service or category a typed /hide or /show argument names; NotFound otherwise."""
    text = text.strip()
    service = split_service(text, panels)
    if service is not None:
        found = await catalogue.get_service(db, *service, for_customer=False)
        if found is None:
            raise TargetNotFound(text)
        unsupported = found.type_raw if found.type is OrderType.UNSUPPORTED else None
        return Target(f"{text} {found.name}", panel=service[0], service_id=service[1],
                      unsupported_type=unsupported)
    category_id = parse_whole(text)
    if category_id is not None:
        category = await catalogue.get_category(db, category_id)
        if category is not None:
            return Target(category.name, category_id=category.id)
    wanted = text.casefold()
    for category in await all_categories(db):
        if category.name.casefold() == wanted:
            return Target(category.name, category_id=category.id)
    raise TargetNotFound(text)


async def set_hidden(db: Database, target: Target, hidden: bool) -> None:
    """Hide or show a target found by find_target."""
    if target.category_id is not None:
        await catalogue.set_category_hidden(db, target.category_id, hidden)
    else:
        await catalogue.set_service_hidden(db, target.panel, target.service_id, hidden)
