"""What placing an order ended in, for the chat to explain (one small class per outcome)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.panel.errors import RefusalKind

# orders.fail_kind when the panel could not be reached (add surely never arrived)
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Placed:
    """The panel accepted the order. `repeated`: the same client token was placed before."""

    order_id: int
    panel_order_id: str
    price: int
    balance_after: int
    repeated: bool = False


@dataclass(frozen=True)
class InsufficientFunds:
    """The wallet does not cover the price; nothing was recorded."""

    price: int
    balance: int


@dataclass(frozen=True)
class Refused:
    """Not placed and (if it was charged) refunded in full.

    `order_id` is None when we refused before recording anything (service gone, invalid request).
    `unavailable`: the panel could not be reached ("try later"); otherwise `message` holds the
    panel's own words and `kind` what they mean.
    """

    order_id: int | None
    kind: RefusalKind
    message: str
    unavailable: bool = False
    repeated: bool = False
    bound: str | None = None  # a QUANTITY refusal: "min" (too few) or "max" (too many) when the panel said which


@dataclass(frozen=True)
class Unknown:
    """The panel may or may not have the order: the charge stays held until an admin reconciles."""

    order_id: int
    repeated: bool = False


@dataclass(frozen=True)
class PriceChanged:
    """The price is no longer the one the customer confirmed; nothing was recorded or charged.

    `confirmed` is what the card showed, `price` what the order costs now (minor units).
    """

    confirmed: int
    price: int


@dataclass(frozen=True)
class Banned:
    """The customer is banned; nothing was recorded."""


PlaceResult = Placed | InsufficientFunds | Refused | Unknown | Banned | PriceChanged
