"""Which fields a new order asks for, in which order, and how the answers become an OrderRequest.

Pure functions over the panel's order-type table (bot/panel/order_types.py). Answers are kept
in a JSON-friendly dict (lists, ISO dates) because the conversation persists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.domain.order_input import FieldContext
from bot.panel.models import OrderRequest, OrderType, Service
from bot.panel.order_types import (
    ALLOWED_SUBSCRIPTION_DELAYS,
    CODES,
    GOOGLE_KEYWORD,
    PACKAGE_TYPES,
    REFERRING_URL,
    optional_fields,
    required_fields,
)

UNBOUNDED = 10**9  # a panel that gives no max (0) still gets a sane upper bound
_DRIPFEED = ("runs", "interval")
_LISTS = frozenset({"comments", "usernames", "hashtags", "groups", "keywords"})
# web traffic: the field that goes with each traffic type (asked only after that answer, then needed)
_ASKED_WITH_TRAFFIC = {"google_keyword": GOOGLE_KEYWORD, "referring_url": REFERRING_URL}


def fields_for(service: Service) -> tuple[str, ...]:
    """Every field the service's type may ask for: required ones first, then optional ones."""
    optional = optional_fields(service.type)
    if not service.dripfeed:
        optional = tuple(f for f in optional if f not in _DRIPFEED)
    return required_fields(service.type) + optional


def counted_list(order_type: OrderType) -> str | None:
    """The list whose length is the quantity, for types that have no quantity of their own."""
    required = required_fields(order_type)
    if "quantity" in required or order_type in PACKAGE_TYPES or order_type is OrderType.SUBSCRIPTIONS:
        return None
    return next((f for f in required if f in ("comments", "usernames")), None)


def is_asked(field: str, answers: Mapping[str, Any]) -> bool:
    """Whether a field is asked at all given earlier answers (no interval without drip-feed runs,
    a Google keyword only for traffic from Google, a referring URL only for traffic from one)."""
    if field in _ASKED_WITH_TRAFFIC:
        return answers.get("type_of_traffic") == _ASKED_WITH_TRAFFIC[field]
    return not (field == "interval" and answers.get("runs") is None)


def asked_with(field: str) -> tuple[str, Any] | None:
    """(earlier field, its value) that makes `field` asked, for a field asked only with one answer."""
    return ("type_of_traffic", _ASKED_WITH_TRAFFIC[field]) if field in _ASKED_WITH_TRAFFIC else None


def is_optional(service: Service, field: str, answers: Mapping[str, Any]) -> bool:
    """Whether the customer may skip this field now."""
    if field not in optional_fields(service.type) or field == "interval" or field in _ASKED_WITH_TRAFFIC:
        return False  # asked only after the answer that needs them (runs, traffic type), and then needed
    if field == "old_posts" and answers.get("posts") is None:
        return False  # a subscription needs a number of posts to be priced
    return True


def next_field(service: Service, after: str | None, answers: Mapping[str, Any]) -> str | None:
    """The field to ask after `after` (None: the first one); None when every field is answered."""
    fields = fields_for(service)
    start = 0 if after is None else fields.index(after) + 1
    return next((f for f in fields[start:] if is_asked(f, answers)), None)


def previous_field(service: Service, before: str | None, answers: Mapping[str, Any]) -> str | None:
    """The field asked before `before` (None: the last one); None when `before` is the first."""
    fields = fields_for(service)
    end = len(fields) if before is None else fields.index(before)
    return next((f for f in reversed(fields[:end]) if is_asked(f, answers)), None)


def context_for(service: Service, answers: Mapping[str, Any], today: date | None = None) -> FieldContext:
    """The bounds a field of this service is checked against."""
    return FieldContext(
        min=service.min, max=service.max or UNBOUNDED,
        quantity_is_count=counted_list(service.type) is not None, answers=dict(answers),
        today=today or date.today(), allowed_delays=ALLOWED_SUBSCRIPTION_DELAYS, codes=CODES,
    )


def stored(value: Any) -> Any:
    """An answer as the persisted conversation keeps it (tuples as lists, dates as ISO text)."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def build_request(service: Service, answers: Mapping[str, Any]) -> OrderRequest:
    """The OrderRequest for the answers kept so far (fields not asked are left out)."""
    values: dict[str, Any] = {}
    for field in fields_for(service):
        value = answers.get(field)
        if value is None or not is_asked(field, answers):
            continue
        if field in _LISTS:
            value = tuple(value)
        elif field == "expiry":
            value = date.fromisoformat(value)
        values[field] = value
    return OrderRequest(service=service.id, type=service.type, **values)
