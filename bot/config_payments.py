"""Settings of the payment methods (issue #13): Crypto Pay, Telegram Payments cards, manual transfers, bonus.

Amounts are Decimal text here and become minor units in bot/domain/topups.py. Each method is off
while its key setting is unset: CRYPTO_PAY_TOKEN, PAYMENT_PROVIDER_TOKEN, MANUAL_PAYMENTS.
Stars keep STARS_PER_UNIT in ShopSettings (bot/config.py).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
_CODE = r"^[A-Z]{3,5}$"
_BONUS = re.compile(r"^\+?\s*(\d{1,3}(?:\.\d{1,4})?)\s*%(?:\s+from\s+(\d{1,9}(?:\.\d{1,6})?))?$", re.IGNORECASE)


class BonusRule(BaseModel):
    """TOPUP_BONUS: `percent` of a top-up credited on top, for top-ups of at least `threshold` (shop currency)."""

    percent: Decimal = Field(gt=0, le=100)
    threshold: Decimal = Field(default=Decimal(0), ge=0)


def parse_bonus(text: str) -> BonusRule:
    """`+5% from 50` (or `5%`) → BonusRule; ValueError for anything else."""
    match = _BONUS.fullmatch(text.strip())
    if not match:
        raise ValueError("must look like '+5% from 50' (percent, optional minimum top-up)")
    return BonusRule(percent=Decimal(match.group(1)), threshold=Decimal(match.group(2) or 0))


class ManualMethod(BaseModel):
    """One manual transfer method of MANUAL_PAYMENTS."""

    name: str = Field(pattern=r"^[A-Za-z0-9 _.-]{1,24}$")
    instructions: str = Field(min_length=1, max_length=1500)  # the account to pay to, shown as typed
    currency: str = Field(pattern=_CODE)
    rate: Decimal = Field(default=Decimal(1), gt=0, le=10**9)  # shop currency units per unit of `currency`
    min: Decimal = Field(default=Decimal(1), gt=0)              # shop currency
    max: Decimal = Field(default=Decimal(10_000), gt=0)

    @model_validator(mode="after")
    def _range(self) -> ManualMethod:
        if self.min > self.max:
            raise ValueError("min is above max")
        return self


class PaymentSettings(BaseSettings):
    model_config = _ENV

    # Crypto Pay (@CryptoBot); unset token = method off
    crypto_pay_token: SecretStr | None = None
    crypto_pay_api_url: str = Field(default="https://pay.crypt.bot", pattern=r"^https?://\S+$")
    crypto_pay_assets: Annotated[tuple[str, ...], NoDecode] = ("USDT", "TON", "BTC")
    crypto_pay_min: Decimal = Field(default=Decimal(1), gt=0)
    crypto_pay_max: Decimal = Field(default=Decimal(10_000), gt=0)
    crypto_pay_expires_seconds: int = Field(default=3600, ge=60, le=2_678_400)
    crypto_pay_poll_seconds: float = Field(default=5, ge=1, le=300)
    crypto_pay_webhook_port: int | None = Field(default=None, ge=0, le=65535)  # serve the webhook here (0: any free port)
    crypto_pay_webhook_path: str = Field(default="/cryptopay", pattern=r"^/[A-Za-z0-9._~/-]*$")
    # Telegram Payments (a provider from @BotFather); unset token = method off
    payment_provider_token: SecretStr | None = None
    payment_currency: str | None = Field(default=None, pattern=_CODE)
    payment_rate: Decimal | None = Field(default=None, gt=0, le=10**9)  # shop units per payment-currency unit
    payment_min: Decimal = Field(default=Decimal(1), gt=0)       # in PAYMENT_CURRENCY (the provider's limits)
    payment_max: Decimal = Field(default=Decimal(10_000), gt=0)
    # manual transfers approved in the admin group
    manual_payments: list[ManualMethod] = Field(default_factory=list)
    manual_expire_hours: float = Field(default=48, gt=0, le=24 * 60)
    # all methods
    topup_bonus: Annotated[BonusRule | None, NoDecode] = None

    @field_validator("crypto_pay_token", "payment_provider_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("payment_currency", "payment_rate", mode="before")
    @classmethod
    def _blank_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("crypto_pay_assets", mode="before")
    @classmethod
    def _assets(cls, value: object) -> object:
        if isinstance(value, str):
            parts = tuple(p.strip().upper() for p in value.split(",") if p.strip())
            if not parts or not all(re.fullmatch(r"[A-Z0-9]{2,10}", p) for p in parts):
                raise ValueError("must be asset codes separated by commas, e.g. USDT,TON,BTC")
            return parts
        return value

    @field_validator("topup_bonus", mode="before")
    @classmethod
    def _bonus(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_bonus(value) if value.strip() else None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PaymentSettings:
        if self.crypto_pay_min > self.crypto_pay_max:
            raise ValueError("CRYPTO_PAY_MIN is above CRYPTO_PAY_MAX")
        if self.payment_min > self.payment_max:
            raise ValueError("PAYMENT_MIN is above PAYMENT_MAX")
        if self.payment_provider_token is not None and self.payment_currency is None:
            raise ValueError("PAYMENT_CURRENCY is required with PAYMENT_PROVIDER_TOKEN (e.g. USD)")
        names = [m.name.lower() for m in self.manual_payments]
        if len(names) != len(set(names)):
            raise ValueError("MANUAL_PAYMENTS: method names must be unique")
        return self

    def rate_for_card(self, shop_currency: str) -> Decimal | None:
        """Shop units per payment-currency unit: 1 for the same currency, else PAYMENT_RATE (None: missing)."""
        if self.payment_currency == shop_currency.upper():
            return Decimal(1)
        return self.payment_rate


def decimal_text(value: str) -> Decimal:
    """A Decimal from text or ValueError (for JSON numbers given as strings)."""
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
