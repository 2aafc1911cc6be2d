"""Placing an order: charge, record, call the panel once, settle. Never placed twice.

1. In one transaction: the balance is checked, the order is recorded as `submitting` and its
   charge written to the ledger. Writers are serialised (Database.transaction), so two
   attempts at once by one customer can never overdraw the wallet.
2. Outside any transaction (the panel may take long): `add` is called exactly once.
3. In a second transaction: accepted -> `pending` with the panel's order id; a clear refusal
   (PanelRefused, InvalidOrder) or an unreachable panel (PanelUnavailable: surely never sent)
   -> `failed` and refunded in full; anything else (OutcomeUnknown: timeout, 5xx, broken body;
   or an unexpected error) -> `unknown`, the charge stays held and an admin reconciles it.
Orders left `submitting` by a crash become `unknown` at start-up (recover_interrupted).

The price charged is the price the customer confirmed: callers pass the confirmation card's
quote as `confirmed`; when a fresh offer (offers.make_offer: the one validation and pricing of a
request) costs anything else, PriceChanged is returned and nothing is recorded or charged.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.domain import catalogue, currency, routing
from bot.domain.offers import make_offer
from bot.domain.order_results import (
    UNAVAILABLE,
    Banned,
    InsufficientFunds,
    Placed,
    PlaceResult,
    PriceChanged,
    Refused,
    Unknown,
)
from bot.domain.pricing import NoExchangeRate, Quote
from bot.domain.refunds import refund
from bot.panel.errors import InvalidOrder, OutcomeUnknown, PanelRefused, PanelUnavailable, RefusalKind
from bot.panel.models import OrderRequest
from bot.storage import ledger, order_writes, orders, users
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.order_writes import NewOrder
from bot.storage.orders import OUTCOME_UNKNOWN, SUBMITTING, Order

if TYPE_CHECKING:
    from bot.panel.client import PanelClient
    from bot.panel.hub import PanelHub

log = logging.getLogger(__name__)

_BASIC_FIELDS = {"service", "type", "link", "quantity"}


def refusal_kind(exc: InvalidOrder) -> RefusalKind:
    """What an invalid request means for the customer."""
    if exc.field == "link":
        return RefusalKind.BAD_LINK
    if exc.code in ("too_small", "too_large", "too_many"):
        return RefusalKind.QUANTITY
    return RefusalKind.OTHER


def invalid_bound(exc: InvalidOrder) -> str | None:
    """Which end of the service's bounds a request we refused ourselves is past."""
    return {"too_small": "min", "too_large": "max", "too_many": "max"}.get(exc.code)


def as_refusal_kind(stored: str | None) -> RefusalKind:
    """A stored fail_kind back to a RefusalKind (OTHER for 'unavailable' and the unexpected)."""
    try:
        return RefusalKind(stored)
    except ValueError:
        return RefusalKind.OTHER


async def _repeat(db: Database, order: Order) -> PlaceResult:
    """The result of an order already placed with the same client token."""
    if order.status in (SUBMITTING, OUTCOME_UNKNOWN):
        return Unknown(order.id, repeated=True)
    if order.panel_order_id is None:  # failed before the panel took it
        return Refused(order.id, as_refusal_kind(order.fail_kind), order.fail_reason or "",
                       order.fail_kind == UNAVAILABLE, repeated=True)
    balance = await ledger.balance(db.conn, order.user_id)
    return Placed(order.id, order.panel_order_id, order.price, balance, repeated=True)


async def _charge(db: Database, new: NewOrder, client_token: str) -> PlaceResult | Order | int:
    """Transaction 1: banned, the order already placed with this token, no funds, or the new order's id."""
    async with db.transaction() as conn:
        user = await users.get(conn, new.user_id)
        if user is not None and user.banned:
            return Banned()
        existing = await orders.by_client_token(conn, new.user_id, client_token)
        if existing is not None:
            return existing
        await users.ensure(conn, new.user_id)
        balance = await ledger.balance(conn, new.user_id)
        if balance < new.price:
            return InsufficientFunds(new.price, balance)
        order_id = await order_writes.insert_submitting(conn, new)
        if new.price > 0:
            await ledger.add(conn, new.user_id, -new.price, LedgerKind.ORDER_CHARGE,
                             reference=order_reference(order_id), note=new.service_name)
        return order_id


async def _fail(
    db: Database, order_id: int, kind: str, reason: str, *, unavailable: bool = False, bound: str | None = None
) -> Refused:
    """Transaction 2 (refused): failed + full refund."""
    async with db.transaction() as conn:
        if await order_writes.set_failed(conn, order_id, kind, reason, expect=SUBMITTING):
            order = await orders.get(conn, order_id)
            await refund(conn, order, order.unrefunded, note=reason)
    return Refused(order_id, as_refusal_kind(kind), reason, unavailable, bound=bound)


async def _unknown(db: Database, order_id: int, reason: str) -> Unknown:
    """Transaction 2 (outcome unknown): the charge stays held for reconciliation."""
    async with db.transaction() as conn:
        await order_writes.set_outcome_unknown(conn, order_id, reason)
    log.warning("order %s: outcome of add unknown (%s); held for reconciliation", order_id, reason)
    return Unknown(order_id)


async def _accept(db: Database, order_id: int, panel_order_id: str, user_id: int, price: int) -> PlaceResult:
    """Transaction 2 (accepted): pending with the panel's order id."""
    try:
        async with db.transaction() as conn:
            if not await order_writes.set_placed(conn, order_id, panel_order_id):
                # recover_interrupted ran meanwhile (it should only run at start-up): the answer still counts
                await order_writes.set_placed(conn, order_id, panel_order_id, expect=OUTCOME_UNKNOWN)
            balance = await ledger.balance(conn, user_id)
    except sqlite3.IntegrityError:  # the panel answered an id another order already has
        return await _unknown(db, order_id, f"panel answered order id {panel_order_id}, already used")
    return Placed(order_id, panel_order_id, price, balance)


async def place_order(
    db: Database, panels: PanelHub, *, user_id: int, panel: str, request: OrderRequest,
    client_token: str, default_markup: Decimal, confirmed: Quote | None = None,
) -> PlaceResult:
    """Charge the customer and place `request` on `panel` once; the same client_token never twice.

    `confirmed` is the quote the customer saw and confirmed: the order is charged exactly its
    price, or not at all (PriceChanged) when the price is different now. None only where no
    customer confirmed a price (tests, tools); then the current quote is charged.
    """
    existing = await orders.by_client_token(db.conn, user_id, client_token)
    if existing is not None:
        return await _repeat(db, existing)
    service = await catalogue.get_service(db, panel, request.service)
    if service is None:
        return Refused(None, RefusalKind.SERVICE_GONE, "the service is no longer available")
    try:
        client = panels.get(panel)
    except KeyError:
        return Refused(None, RefusalKind.SERVICE_GONE, "the panel is no longer configured")
    try:
        offer = await make_offer(db, service, request, default_markup)  # invalid requests are refused before charging
    except InvalidOrder as exc:
        return Refused(None, refusal_kind(exc), exc.message, bound=invalid_bound(exc))
    except NoExchangeRate:  # the rate went missing since the card: its services are hidden now
        return Refused(None, RefusalKind.SERVICE_GONE, "no exchange rate for the panel's currency")
    quote, request = offer.quote, offer.request
    if confirmed is not None and quote.price != confirmed.price:
        return PriceChanged(confirmed.price, quote.price)
    new = NewOrder(
        user_id=user_id, panel=panel, service_id=service.service_id, service_name=service.name,
        type=service.type, quantity=quote.units, price=quote.price, rate=quote.rate,
        rate_per=quote.rate_per, markup=quote.markup, link=request.link,
        extras=request.model_dump(mode="json", exclude_none=True, exclude=_BASIC_FIELDS),
        can_refill=service.refill, can_cancel=service.cancel, client_token=client_token,
        panel_currency=await currency.panel_currency(db, panel), exchange_rate=quote.exchange_rate, cost=quote.cost,
    )
    charged = await _charge(db, new, client_token)
    if isinstance(charged, Order):
        return await _repeat(db, charged)
    if not isinstance(charged, int):
        return charged
    return await _submit(db, panels, client, request, charged, new)


async def _submit(
    db: Database, panels: PanelHub, client: PanelClient, request: OrderRequest, order_id: int, new: NewOrder
) -> PlaceResult:
    """Call `add` exactly once (a routed service: once per provider, bot/domain/routing.py) and settle."""
    try:
        panel_order_id = await routing.add(db, panels, client, order_id, new, request)
    except PanelRefused as exc:
        return await _fail(db, order_id, exc.kind.value, exc.message, bound=exc.bound)
    except InvalidOrder as exc:
        return await _fail(db, order_id, refusal_kind(exc).value, exc.message, bound=invalid_bound(exc))
    except OutcomeUnknown as exc:
        return await _unknown(db, order_id, exc.message)
    except PanelUnavailable as exc:
        log.info("order %s not sent, panel unavailable: %s", order_id, exc.message)
        return await _fail(db, order_id, UNAVAILABLE, "panel unavailable, try later", unavailable=True)
    except asyncio.CancelledError:
        await _unknown(db, order_id, "interrupted while waiting for the panel")
        raise
    except Exception:
        log.exception("order %s: unexpected error from add", order_id)
        return await _unknown(db, order_id, "unexpected error while placing")
    return await _accept(db, order_id, str(panel_order_id), new.user_id, new.price)


async def recover_interrupted(db: Database) -> list[int]:
    """At start-up: orders still `submitting` (a crash mid-add) become `unknown`, never re-placed."""
    async with db.transaction() as conn:
        ids = await order_writes.submitting_to_unknown(conn)
    if ids:
        log.warning("orders interrupted before the panel answered, now awaiting reconciliation: %s", ids)
    return ids
