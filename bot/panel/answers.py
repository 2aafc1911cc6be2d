"""Decoded answers of each action -> typed models, accepting every shape the panels send
(refill and cancel answers: bot/panel/request_answers.py).

Callers first pass the body through `raise_if_refused` (a whole-answer error); entry-level
errors of multi actions become EntryError. A shape we cannot read raises BadAnswer, which the
client turns into PanelUnavailable (read-only actions) or OutcomeUnknown (add/refill/cancel).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from bot.panel.models import Balance, EntryError, OrderState, OrderStatus, OrderType, Service
from bot.panel.refusals import error_message, refusal
from bot.panel.statuses import order_status
from bot.panel.type_names import parse_order_type
from bot.panel.values import (
    BadValue,
    json_safe,
    lookup,
    optional_text,
    to_amount,
    to_count,
    to_decimal,
    to_flag,
    to_id,
    to_multiline,
    to_text,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
MISSING = "missing from the panel's answer"
UNREADABLE = "unreadable entry in the panel's answer"


class BadAnswer(ValueError):
    """The answer parsed as JSON but has no shape we understand (message is safe to show)."""


def raise_if_refused(panel: str, body: Any) -> None:
    """A whole-answer error body -> PanelRefused with the panel's own (trimmed) words."""
    message = error_message(body)
    if message is not None:
        raise refusal(panel, message)


def _lenient(convert: Callable[[Any], T | None], value: Any) -> T | None:
    """A display field we can live without: unreadable -> None instead of failing the answer."""
    try:
        return convert(value)
    except BadValue:
        return None


def _service(panel: str, item: Any, types: Mapping[str, OrderType] | None = None) -> Service:
    if not isinstance(item, dict):
        raise BadValue("not an object")
    service_id = to_id(lookup(item, "service", "id", "service_id"))
    rate = to_amount(lookup(item, "rate", "price"))
    if rate is None:
        raise BadValue("no rate")
    type_raw = to_text(item.get("type")) or "Default"
    return Service(
        panel=panel, id=service_id, name=to_text(item.get("name")) or f"#{service_id}",
        type=parse_order_type(type_raw, types), type_raw=type_raw, category=to_text(item.get("category")),
        rate=rate, min=to_count(item.get("min")) or 0, max=to_count(item.get("max")) or 0,
        description=to_multiline(lookup(item, "desc", "description")),
        dripfeed=to_flag(item.get("dripfeed")), refill=to_flag(item.get("refill")),
        cancel=to_flag(item.get("cancel")),
    )


def parse_services(panel: str, body: Any, types: Mapping[str, OrderType] | None = None) -> list[Service]:
    """Catalogue answer -> services; an unreadable entry is skipped (and logged), not fatal.

    `types`: the panel's own words for order types (PANELS "types", keyed by type_names.type_keys),
    read before the usual ones.
    """
    if isinstance(body, dict):
        nested = lookup(body, "services", "data")
        body = nested if isinstance(nested, list) else list(body.values())
    if not isinstance(body, list):
        raise BadAnswer("the service list is not a list")
    services, skipped = [], 0
    for item in body:
        try:
            services.append(_service(panel, item, types))
        except (BadValue, ValueError):
            skipped += 1
    if skipped:
        log.warning("panel %s: skipped %d unreadable service entries", panel, skipped)
    return services


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def parse_order_id(body: Any) -> str:
    """`{"order": 23501}` / `{"order": "23501"}` -> "23501"; BadAnswer for 0, a negative or an empty id."""
    value = lookup(body, "order", "order_id", "id") if isinstance(body, dict) else None
    if value is None or isinstance(value, dict | list | bool):
        raise BadAnswer("no order id in the answer")
    try:
        order_id = to_id(value)
    except BadValue:
        raise BadAnswer("no order id in the answer") from None
    if _NUMBER.fullmatch(order_id) and Decimal(order_id) <= 0:
        raise BadAnswer(f"order id {order_id} is not an id")  # PHP panels answer 0 when the insert failed
    return order_id


def entries_by_id(body: Any, id_fields: Sequence[str]) -> dict[str, Any]:
    """A multi answer (dict keyed by id, or a list of objects naming their id) -> {id: entry}."""
    if isinstance(body, dict):
        return {str(key).strip(): value for key, value in body.items() if str(key).strip()}
    if isinstance(body, list):
        found: dict[str, Any] = {}
        for item in body:
            if isinstance(item, dict) and lookup(item, *id_fields) is not None:
                try:
                    found[to_id(lookup(item, *id_fields))] = item
                except BadValue:
                    continue
        return found
    raise BadAnswer("a multi answer that is neither an object nor a list")


def collect(ids: Sequence[str], entries: dict[str, Any], parse: Callable[[str, Any], Any]) -> dict:
    """Every requested id -> its parsed entry, or an EntryError when the panel left it out."""
    return {i: parse(i, entries[i]) if i in entries else EntryError(id=i, message=MISSING) for i in ids}


def single(panel: str, result: T | EntryError, unreadable: str) -> T:
    """A single-id answer's one entry: its value, BadAnswer(`unreadable`) when it could not be read, or
    the PanelRefused its error words mean."""
    if isinstance(result, EntryError):
        if result.message == UNREADABLE:
            raise BadAnswer(unreadable)
        raise refusal(panel, result.message)
    return result


def order_state(order_id: str, entry: Any) -> OrderState | EntryError:
    """One order's entry (order, drip-feed, subscription, error object or bare string)."""
    if isinstance(entry, str):
        status = order_status(entry)
        if status is OrderStatus.UNKNOWN:
            return EntryError(id=order_id, message=to_text(entry) or UNREADABLE)
        return OrderState(order_id=order_id, status=status, status_raw=to_text(entry))
    if not isinstance(entry, dict):
        return EntryError(id=order_id, message=UNREADABLE)
    message = error_message(entry)
    if message is not None:
        return EntryError(id=order_id, message=message)
    raw_status = entry.get("status")
    if raw_status is None or isinstance(raw_status, dict | list):
        nested = error_message(raw_status) if isinstance(raw_status, dict) else None
        return EntryError(id=order_id, message=nested or UNREADABLE)
    word = to_text(raw_status)
    return OrderState(
        order_id=order_id, status=order_status(word), status_raw=word,
        charge=_lenient(to_amount, entry.get("charge")),
        start_count=_lenient(to_count, entry.get("start_count")),
        remains=_lenient(to_count, entry.get("remains")),
        currency=optional_text(entry.get("currency")),
        runs=_lenient(to_count, entry.get("runs")), posts=_lenient(to_count, entry.get("posts")),
        raw=json_safe(entry),
    )


def parse_order_state(panel: str, order_id: str, body: Any) -> OrderState:
    """Single status answer -> OrderState; an error entry -> PanelRefused (e.g. NOT_FOUND)."""
    if isinstance(body, dict) and "status" not in body and order_id in body:
        body = body[order_id]  # a panel that answers `order=` in the multi shape
    return single(panel, order_state(order_id, body), "no order status in the answer")


def parse_order_states(ids: Sequence[str], body: Any) -> dict[str, OrderState | EntryError]:
    """Multi-status answer -> {id: OrderState | EntryError} for every requested id.

    A list whose entries name no id is read only when one id was asked and one entry came back:
    for more, matching by position would be a guess, so every id counts as a miss (held, retried).
    """
    if (len(ids) == 1 and isinstance(body, list) and len(body) == 1 and isinstance(body[0], dict)
            and lookup(body[0], "order", "id", "order_id") is None):
        return {ids[0]: order_state(ids[0], body[0])}
    return collect(ids, entries_by_id(body, ("order", "id", "order_id")), order_state)


def parse_balance(body: Any) -> Balance:
    """`{"balance": "100.84292", "currency": "USD"}` -> Balance."""
    try:
        amount = to_decimal(lookup(body, "balance", "funds")) if isinstance(body, dict) else None
    except BadValue:
        amount = None
    if amount is None:
        raise BadAnswer("no balance in the answer")
    return Balance(amount=amount, currency=optional_text(body.get("currency")))
