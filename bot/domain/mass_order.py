"""Mass orders: up to 100 lines `service_id | link | quantity`, previewed, then placed once each.

A line may also be separated by spaces or commas. Every line is read on its own: a bad line gets a
reason and never stops the others. Valid lines become offers (offers.make_offer: the same
validation and price as the one-by-one flow). Confirm places each kept line with
`ordering.place_order`, its client token `<batch>:<line>`: the orders table keeps client tokens
unique per customer, so a line is charged and sent at most once however often Confirm arrives,
and each line is charged exactly the quote the preview showed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bot.domain import catalogue, ordering, wallet
from bot.domain.offers import Offer, make_offer
from bot.domain.order_input import InputError, parse_link
from bot.domain.order_results import PlaceResult
from bot.domain.pricing import Quote
from bot.panel.errors import InvalidOrder
from bot.panel.models import OrderRequest, OrderType
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.panel.hub import PanelHub

MAX_LINES = 100
_SPLIT = re.compile(r"\s*\|\s*|\s*,\s*|\s+")
_SIMPLE = frozenset({OrderType.DEFAULT})  # types a line can describe: a link and a quantity, nothing else


@dataclass(frozen=True)
class Line:
    """One line of the list as understood: ok with its offer, or the reason it cannot be ordered."""

    number: int  # 1-based, as the customer counts
    text: str
    offer: Offer | None = None
    problem: str | None = None  # format | quantity | unknown_service | not_simple | bounds | bad_link


@dataclass(frozen=True)
class Preview:
    lines: list[Line]
    total: int  # minor units, the valid lines together
    balance: int

    @property
    def valid(self) -> list[Line]:
        return [line for line in self.lines if line.offer is not None]

    @property
    def balance_after(self) -> int:
        return self.balance - self.total


class TooManyLines(ValueError):
    """More than MAX_LINES lines."""


def split_lines(text: str) -> list[tuple[int, str]]:
    """The non-empty lines with their numbers; TooManyLines beyond MAX_LINES."""
    lines = [(n, raw.strip()) for n, raw in enumerate((text or "").splitlines(), start=1) if raw.strip()]
    if len(lines) > MAX_LINES:
        raise TooManyLines(str(len(lines)))
    return lines


async def _find_service(db: Database, panels: Sequence[str], service_id: str):
    """The customer-visible service with this id, first configured panel first."""
    for panel in panels:
        found = await catalogue.get_service(db, panel, service_id)
        if found is not None:
            return found
    return None


async def read_line(db: Database, panels: Sequence[str], number: int, text: str, default_markup: Decimal) -> Line:
    """One line checked and priced."""
    parts = [p for p in _SPLIT.split(text) if p]
    if len(parts) != 3:
        return Line(number, text, problem="format")
    service_id, link, quantity = parts
    if not quantity.isascii() or not quantity.isdigit() or len(quantity) > 9:
        return Line(number, text, problem="quantity")
    try:
        link = parse_link(link)
    except InputError:
        return Line(number, text, problem="bad_link")
    service = await _find_service(db, panels, service_id)
    if service is None:
        return Line(number, text, problem="unknown_service")
    if service.type not in _SIMPLE:
        return Line(number, text, problem="not_simple")
    try:
        offer = await make_offer(db, service, OrderRequest(service=service_id, link=link, quantity=int(quantity)),
                                 default_markup)
    except InvalidOrder as exc:
        return Line(number, text, problem="bad_link" if exc.field == "link" else "bounds")
    return Line(number, text, offer=offer)


async def preview(db: Database, panels: Sequence[str], user_id: int, text: str, default_markup: Decimal) -> Preview:
    """Every line read and priced, the total of the valid ones and the customer's balance."""
    lines = [await read_line(db, panels, n, raw, default_markup) for n, raw in split_lines(text)]
    total = sum(line.offer.quote.price for line in lines if line.offer is not None)
    return Preview(lines, total, await wallet.balance(db, user_id))


def kept(preview: Preview) -> list[dict[str, Any]]:
    """The valid lines as the persisted flow keeps them (what Confirm places)."""
    return [{"line": line.number, "panel": line.offer.service.panel,
             "request": line.offer.request.model_dump(mode="json", exclude_none=True),
             "quote": line.offer.quote.as_json()} for line in preview.valid]


async def place_all(
    db: Database, panels: PanelHub, *, user_id: int, batch: str, lines: list[dict[str, Any]],
    default_markup: Decimal, progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> list[tuple[int, PlaceResult]]:
    """Place each kept line once (token `<batch>:<line>`), at its previewed quote; (line, result) each."""
    results: list[tuple[int, PlaceResult]] = []
    for done, item in enumerate(lines, start=1):
        result = await ordering.place_order(
            db, panels, user_id=user_id, panel=item["panel"], request=OrderRequest.model_validate(item["request"]),
            client_token=f"{batch}:{item['line']}", default_markup=default_markup,
            confirmed=Quote.from_json(item["quote"]))
        results.append((int(item["line"]), result))
        if progress is not None:
            await progress(done, len(lines))
    return results
