"""The money rules every payment method shares: conversion, limits, the bonus. Pure functions, no I/O.

A customer types the amount they want on their balance (shop currency). A method that takes
another currency converts at its rate R (shop units per unit of the payment currency):
- the customer pays P = A ÷ R rounded UP to the payment currency's smallest unit;
- the wallet gets C = P × R rounded DOWN to a minor unit (1e-6).
So C ≥ A (never less than asked), C − A < one smallest unit of the payment currency × R (the
rounding of P), and C is exactly what P buys: paying P twice can never credit more than 2C.
Both numbers are shown before the customer pays. The bonus (TOPUP_BONUS) is `percent` of C,
rounded down, for C at or above the threshold; it is its own ledger row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.config_payments import BonusRule
from bot.domain.errors import LimitExceeded
from bot.money import MINOR_PER_UNIT, to_minor

# ISO 4217 currencies with no minor unit (Telegram's `exp` 0); the rest use 2 decimals here
ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
                          "VUV", "XAF", "XOF", "XPF"})


# crypto assets priced directly (a shop whose currency is an asset): finer steps than cents
CRYPTO_DECIMALS = {"BTC": 8, "ETH": 8, "LTC": 8, "BNB": 8, "TON": 6, "TRX": 6, "USDT": 6, "USDC": 6}


def exponent(currency: str) -> int:
    """Decimal places of a payment currency's smallest unit (what Telegram's total_amount counts)."""
    code = currency.upper()
    if code in CRYPTO_DECIMALS:
        return CRYPTO_DECIMALS[code]
    return 0 if code in ZERO_DECIMAL else 2


@dataclass(frozen=True)
class Conversion:
    """A top-up priced in a payment currency: what the customer pays and what it credits."""

    requested: int      # minor units of the shop currency the customer asked for
    pay: Decimal        # in the payment currency, exact, at its smallest unit
    pay_units: int      # the same in smallest units (Telegram's total_amount)
    credit: int         # minor units of the shop currency P buys
    rate: Decimal
    currency: str


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def convert(requested: int, rate: Decimal, currency: str) -> Conversion:
    """Price `requested` (minor units > 0) in `currency` at `rate`; see the module docstring.

    Integer arithmetic on the rate's exact fraction, so no Decimal context can round anything.
    """
    if not isinstance(requested, int) or isinstance(requested, bool) or requested <= 0:
        raise ValueError("amount must be a positive integer of minor units")
    if not rate.is_finite() or rate <= 0:
        raise ValueError("rate must be positive")
    num, den = rate.as_integer_ratio()
    scale = 10 ** exponent(currency)
    # requested/1e6 shop units ÷ (num/den) = payment units; × scale = smallest units, rounded up
    pay_units = max(_ceil_div(requested * den * scale, num * MINOR_PER_UNIT), 1)
    credit = (pay_units * num * MINOR_PER_UNIT) // (den * scale)
    pay = Decimal(pay_units).scaleb(-exponent(currency))
    return Conversion(requested=requested, pay=pay, pay_units=pay_units, credit=credit, rate=rate,
                      currency=currency.upper())


def credit_for_paid(paid: Decimal, rate: Decimal) -> int:
    """What a paid amount in the payment currency credits (rounded down to a minor unit), exactly."""
    if not paid.is_finite() or paid <= 0:
        return 0
    pn, pd = paid.as_integer_ratio()
    rn, rd = rate.as_integer_ratio()
    return (pn * rn * MINOR_PER_UNIT) // (pd * rd)


@dataclass(frozen=True)
class Limits:
    """The smallest and largest top-up of a method, minor units of the shop currency."""

    low: int
    high: int

    def check(self, amount: int) -> None:
        """LimitExceeded when `amount` is outside; its message says which side."""
        if amount < self.low:
            raise LimitExceeded("below the minimum")
        if amount > self.high:
            raise LimitExceeded("above the maximum")


def limits(low: Decimal, high: Decimal, rate: Decimal = Decimal(1)) -> Limits:
    """Limits given in a payment currency (shop currency when rate is 1) as shop minor units."""
    return Limits(low=to_minor(low * rate), high=credit_for_paid(high, rate))


def bonus(rule: BonusRule | None, credit: int) -> int:
    """The bonus for a credit of `credit` minor units under `rule` (0 when none applies)."""
    if rule is None or credit <= 0 or credit < to_minor(rule.threshold):
        return 0
    pn, pd = rule.percent.as_integer_ratio()
    return (credit * pn) // (pd * 100)
