"""Exact money: integers of a fixed minor unit, Decimal only at the edges.

One unit of the shop currency is 1_000_000 minor units (micro-units), fine enough for panel
rates such as 0.90 per 1000 (0.0009 per unit = 900 minor). Floats never touch money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MINOR_PER_UNIT = 1_000_000
_MINOR = Decimal(1) / MINOR_PER_UNIT


def to_minor(amount: Decimal | int | str) -> int:
    """Decimal amount of the shop currency -> minor units, rounded half-up."""
    if isinstance(amount, float):  # a float here is a bug upstream, not a rounding question
        raise TypeError("money must not be a float")
    try:
        value = Decimal(amount)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError("amount must be finite")
    return int((value * MINOR_PER_UNIT).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor(minor: int) -> Decimal:
    """Minor units -> exact Decimal of the shop currency."""
    return Decimal(minor) * _MINOR


MAX_TYPED_MINOR = 10**9 * MINOR_PER_UNIT  # no one types a billion; beyond it is a typo or an attack


def parse_amount(text: str) -> int:
    """A person's typed amount ("12.5", "12,50") -> minor units; ValueError when it is not one."""
    cleaned = text.strip().replace(",", ".").replace(" ", "")
    if not cleaned or not all(ch in "0123456789.-" for ch in cleaned):  # not str.isdigit: "²" is a digit to it
        raise ValueError("not an amount")
    minor = to_minor(cleaned)
    if abs(minor) > MAX_TYPED_MINOR:  # 19+ digit amounts would overflow a 64-bit column downstream
        raise ValueError("amount out of range")
    return minor


def format_amount(minor: int, places: int = 2) -> str:
    """Rounded for people: 2 decimals, more only when a non-zero amount would show as 0.00."""
    value = from_minor(minor)
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    while shown == 0 and value != 0 and places < 6:
        places += 2
        shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:,.{places}f}".replace(",", "\u202f")


def format_money(minor: int, currency: str, places: int = 2) -> str:
    """`12.50 USD`: an amount rounded for display with the shop's currency code."""
    return f"{format_amount(minor, places)} {currency}"
