"""Settings of the storefront (issue #15): mass orders, exchange rates, the curated catalogue, the
required channel. Its own area (`Settings.storefront`) so bot/config.py stays one screen per area."""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
_CHANNEL = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,15})$")


def parse_exchange_rates(text: str) -> dict[str, Decimal]:
    """'USD=92.5, EUR=101' -> {'USD': Decimal('92.5'), ...}; ValueError naming nothing secret."""
    table: dict[str, Decimal] = {}
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        code, sep, rate = part.partition("=")
        code = code.strip().upper()
        if not sep or not re.fullmatch(r"[A-Z]{3,8}", code) or not re.fullmatch(r"\d+(\.\d+)?", rate.strip()):
            raise ValueError("expected CUR=rate pairs separated by commas, e.g. USD=92.5")
        value = Decimal(rate.strip())
        if value <= 0:
            raise ValueError("rates must be positive")
        table[code] = value
    return table


class StorefrontSettings(BaseSettings):
    model_config = _ENV

    # mass orders (/mass, New order → Mass order); false turns them off
    mass_order_enabled: bool = True
    # "USD=92.5,EUR=101": shop-currency units per unit of each panel currency (an admin's /rate wins)
    exchange_rates: str = Field(default="", max_length=2000)
    # services a catalogue refresh sees for the first time arrive hidden (the operator /shows what to sell)
    catalogue_new_hidden: bool = False
    # customers must have joined this channel (@username or -100… id) to order; unset = no requirement
    required_channel: str | None = None
    # how long a "joined" answer of getChatMember is trusted before asking Telegram again
    channel_check_seconds: int = Field(default=600, ge=0, le=86_400)

    @field_validator("exchange_rates")
    @classmethod
    def _rates_readable(cls, value: str) -> str:
        parse_exchange_rates(value)
        return value

    @field_validator("required_channel", mode="before")
    @classmethod
    def _channel(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and not _CHANNEL.fullmatch(value):
                raise ValueError("must be a channel's @username or its -100… id")
        return value

    @property
    def exchange_rate_table(self) -> dict[str, Decimal]:
        """EXCHANGE_RATES as {currency: rate}."""
        return parse_exchange_rates(self.exchange_rates)
