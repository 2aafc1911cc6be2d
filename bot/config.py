"""Settings from the environment (and an optional .env), one typed class per area.

Every variable name here is documented in README.md and .env.example; operators rely on them.
`load_settings()` turns any problem into one `ConfigError` line that names the variable and
never echoes its value (a malformed key must not end up in a log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from bot.config_ops import OpsSettings
from bot.config_panels import OrderTypeName as OrderTypeName  # re-exported: imported from bot.config
from bot.config_panels import PanelConfig as PanelConfig  # re-exported: imported from bot.config
from bot.config_panels import PanelSettings
from bot.config_payments import PaymentSettings
from bot.config_shop import StorefrontSettings
from bot.config_support import SupportSettings
from bot.config_telegram import TelegramSettings
from bot.config_webapp import WebAppSettings

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is safe to print."""


# the redactor masks every secret in logs and messages; a shorter value would mask ordinary words
# everywhere, so a secret this short is refused at start-up instead of being left visible
MIN_SECRET_LENGTH = 6


class StorageSettings(BaseSettings):
    model_config = _ENV

    database_path: Path = Path("data/bot.db")
    # postgresql://user:password@host:port/db selects PostgreSQL; sqlite:///path is DATABASE_PATH
    database_url: SecretStr | None = None
    standby_check_seconds: float = Field(default=3.0, gt=0, le=10)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        text = value.get_secret_value().strip()
        if not text.startswith(("postgresql://", "postgres://", "sqlite:///")):
            raise ValueError("must start with postgresql:// (or sqlite:/// for a file)")
        return SecretStr(text)

    @property
    def database(self) -> str | Path:
        """What Database.open takes: the PostgreSQL URL, or the SQLite file."""
        if self.database_url is not None:
            url = self.database_url.get_secret_value()
            return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else url
        return self.database_path

    @property
    def is_postgres(self) -> bool:
        return isinstance(self.database, str)


class AdminSettings(BaseSettings):
    model_config = _ENV

    admin_chat_id: int | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    low_balance_alert: Decimal | None = Field(default=None, ge=0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d+", p) for p in parts):
                raise ValueError("must be Telegram user ids separated by commas")
            return frozenset(int(p) for p in parts)
        return value


class ShopSettings(BaseSettings):
    model_config = _ENV

    markup_percent: Decimal = Field(default=Decimal(0), ge=-100, le=10000)
    default_locale: str = Field(default="en", pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")
    shop_currency: str = Field(default="USD", min_length=1, max_length=8)
    locales_dir: Path | None = None  # None: the repo's locales/ beside the package
    support_contact: str | None = Field(default=None, max_length=64)  # shown in Help, e.g. "@shop_support"
    # Stars top-ups: how many Telegram Stars buy one unit of SHOP_CURRENCY; unset = top-ups off
    stars_per_unit: Decimal | None = Field(default=None, gt=0, le=1_000_000)
    # share of what referred customers keep spending that their referrer earns; 0 = the program is off
    referral_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)

    @field_validator("stars_per_unit", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class SyncSettings(BaseSettings):
    model_config = _ENV

    status_poll_seconds: int = Field(default=60, ge=5)
    catalogue_refresh_seconds: int = Field(default=3600, ge=60)
    sync_concurrency: int = Field(default=4, ge=1, le=32)
    status_miss_alert: int = Field(default=5, ge=1)


class LogSettings(BaseSettings):
    model_config = _ENV

    log_level: str = Field(default="INFO", pattern=r"^(?i:debug|info|warning|error|critical)$")


@dataclass(frozen=True)
class Settings:
    """Every area's settings; build it with `load_settings()`."""

    telegram: TelegramSettings
    panels: PanelSettings
    storage: StorageSettings
    admin: AdminSettings
    shop: ShopSettings
    sync: SyncSettings
    log: LogSettings
    support: SupportSettings
    payments: PaymentSettings = field(default_factory=PaymentSettings)  # bot/config_payments.py
    ops: OpsSettings = field(default_factory=OpsSettings)  # backups (bot/config_ops.py)
    storefront: StorefrontSettings = field(default_factory=StorefrontSettings)  # bot/config_shop.py
    webapp: WebAppSettings = field(default_factory=WebAppSettings)  # bot/config_webapp.py


_AREAS = {
    "telegram": TelegramSettings,
    "panels": PanelSettings,
    "storage": StorageSettings,
    "admin": AdminSettings,
    "shop": ShopSettings,
    "sync": SyncSettings,
    "log": LogSettings,
    "support": SupportSettings,
    "payments": PaymentSettings,
    "ops": OpsSettings,
    "storefront": StorefrontSettings,
    "webapp": WebAppSettings,
}


def _describe(exc: ValidationError) -> str:
    """First problem as `VARIABLE: what is wrong`, without the offending value.

    Errors of a whole area (model validators) have no location: their messages name the variables.
    """
    err = exc.errors(include_input=False, include_url=False)[0]
    loc = [str(part) for part in err.get("loc", ()) if not isinstance(part, int)]
    message = err.get("msg", "invalid").removeprefix("Value error, ")
    if not loc:
        return message
    if len(loc) > 1:
        message = f"{'.'.join(loc[1:])}: {message}"
    return f"{loc[0].upper()}: {message}"


def secrets_of(settings: Settings) -> list[tuple[str, str]]:
    """(VARIABLE, value) of every SecretStr in every area, panels' keys included: new settings are covered
    without a list to keep."""
    found: list[tuple[str, str]] = []

    def walk(name: str, value: object) -> None:
        if isinstance(value, SecretStr):
            found.append((name.upper(), value.get_secret_value()))
        elif isinstance(value, BaseModel):
            for field_name in type(value).model_fields:
                walk(field_name if isinstance(value, BaseSettings) else name, getattr(value, field_name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(name, item)

    for area in _AREAS:
        walk(area, getattr(settings, area))
    return found


def _check_secrets(settings: Settings) -> None:
    # reversed: a PANEL_KEY also stands in PANELS' list (as panel "main"); name the variable the operator set
    for name, value in reversed(secrets_of(settings)):
        if len(value) < MIN_SECRET_LENGTH:
            raise ConfigError(f"Configuration error: {name}: a secret must be at least {MIN_SECRET_LENGTH} "
                              "characters (a shorter one could not be kept out of logs)")


def load_settings(**overrides: dict) -> Settings:
    """Read every area from the environment; raise ConfigError with one safe line."""
    areas = {}
    for area, cls in _AREAS.items():
        try:
            areas[area] = cls(**overrides.get(area, {}))
        except ValidationError as exc:
            raise ConfigError(f"Configuration error: {_describe(exc)}") from None
        except SettingsError as exc:
            # raised for malformed JSON in complex variables such as PANELS; its text names the field only
            field = re.search(r'field "(\w+)"', str(exc))
            name = field.group(1).upper() if field else area.upper()
            raise ConfigError(f"Configuration error: {name}: not valid JSON") from None
    settings = Settings(**areas)
    _check_secrets(settings)
    return settings
