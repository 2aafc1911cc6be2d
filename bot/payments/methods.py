"""The payment methods the operator enabled, behind one interface.

Every method answers the same four questions, whatever the provider:
  create    — price the customer's amount (bot/domain/topup_money.convert), write the row
              (bot/domain/topups.record or, for Stars, payments.issue_invoice) BEFORE anyone is
              asked to pay, then ask the provider (Crypto Pay createInvoice, sendInvoice) or show
              the transfer instructions;
  learn     — how a payment becomes known: Stars/card successful_payment (+ the Stars sweep),
              Crypto Pay's getInvoices poll and its signed webhook, an admin's Approve;
  credit    — once per row, in one transaction (bot/domain/topups.credit, payments.record_payment);
  refund    — `refundable`: Stars through Telegram, manual as a wallet debit with a note;
              Crypto Pay invoices and provider card payments have no refund in their APIs.
`Method` below is the descriptor the screens, limits and admin reports read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.config import Settings
from bot.config_payments import ManualMethod
from bot.domain.topup_money import Limits, limits

# fiat currencies Crypto Pay invoices can be priced in (currency_type=fiat)
CRYPTO_PAY_FIATS = frozenset({"USD", "EUR", "RUB", "BYN", "UAH", "GBP", "CNY", "KZT", "UZS", "GEL", "TRY", "AMD",
                              "THB", "INR", "BRL", "IDR", "AZN", "AED", "PLN", "ILS"})
CRYPTO = "cryptopay"
CARD = "card"
MANUAL_PREFIX = "manual:"


class Kind(StrEnum):
    STARS = "stars"
    CRYPTO = "crypto"
    CARD = "card"
    MANUAL = "manual"


@dataclass(frozen=True)
class Method:
    """One enabled method: its button key, stored name, payment currency and rate, limits."""

    key: str               # in buttons: stars, crypto, card, m0, m1…
    name: str              # stored in topups.method and ledger references: cryptopay, card, manual:<name>
    kind: Kind
    currency: str          # what the customer pays in
    rate: Decimal          # shop units per unit of `currency`
    limits: Limits | None  # None for Stars (its own presets and maximum)
    refundable: bool
    manual: ManualMethod | None = None
    fiat: bool = True      # Crypto Pay: a fiat invoice (else an asset amount)

    @property
    def label(self) -> str:
        """The operator's own name of a manual method; '' for the others (their label is a text id)."""
        return self.manual.name if self.manual else ""


def crypto_currency(settings: Settings) -> tuple[str, bool] | None:
    """(currency, fiat?) Crypto Pay invoices use for this shop, None when the shop currency fits neither."""
    shop = settings.shop.shop_currency.upper()
    if shop in CRYPTO_PAY_FIATS:
        return shop, True
    if shop in settings.payments.crypto_pay_assets:
        return shop, False
    return None


def enabled_methods(settings: Settings) -> list[Method]:
    """The methods whose settings are complete, in the order the Top up screen lists them."""
    pay = settings.payments
    found: list[Method] = []
    if settings.shop.stars_per_unit:
        found.append(Method("stars", "stars", Kind.STARS, "XTR", 1 / settings.shop.stars_per_unit, None, True))
    crypto = crypto_currency(settings)
    if pay.crypto_pay_token is not None and crypto is not None:
        found.append(Method("crypto", CRYPTO, Kind.CRYPTO, crypto[0], Decimal(1),
                            limits(pay.crypto_pay_min, pay.crypto_pay_max), False, fiat=crypto[1]))
    card_rate = pay.rate_for_card(settings.shop.shop_currency)
    if pay.payment_provider_token is not None and pay.payment_currency and card_rate is not None:
        found.append(Method("card", CARD, Kind.CARD, pay.payment_currency, card_rate,
                            limits(pay.payment_min, pay.payment_max, card_rate), False))
    for index, manual in enumerate(pay.manual_payments):
        found.append(Method(f"m{index}", MANUAL_PREFIX + manual.name, Kind.MANUAL, manual.currency, manual.rate,
                            limits(manual.min, manual.max), True, manual=manual))
    return found


def find(settings: Settings, key: str) -> Method | None:
    """The enabled method with this button key (None: unknown, or turned off since the button was sent)."""
    return next((m for m in enabled_methods(settings) if m.key == key), None)


def by_name(settings: Settings, name: str) -> Method | None:
    """The enabled method stored under this name."""
    return next((m for m in enabled_methods(settings) if m.name == name), None)


def problems(settings: Settings) -> list[str]:
    """Settings that leave a method off although its token is set (one line each, for the start-up log)."""
    pay = settings.payments
    found = []
    if pay.crypto_pay_token is not None and crypto_currency(settings) is None:
        found.append("CRYPTO_PAY_TOKEN is set but SHOP_CURRENCY is neither a Crypto Pay fiat nor in "
                     "CRYPTO_PAY_ASSETS: Crypto Pay stays off")
    if pay.payment_provider_token is not None and pay.rate_for_card(settings.shop.shop_currency) is None:
        found.append("PAYMENT_PROVIDER_TOKEN is set but PAYMENT_CURRENCY differs from SHOP_CURRENCY and "
                     "PAYMENT_RATE is unset: card payments stay off")
    return found
