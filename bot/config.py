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
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from bot.config_ops import OpsSettings
from bot.config_payments import PaymentSettings
from bot.config_shop import StorefrontSettings
from bot.config_support import SupportSettings
from bot.config_webapp import WebAppSettings

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


DEMO_URL = "demo"  # PANEL_URL=demo: the built-in simulated panel, no key needed
DEMO_KEY = "demo-panel-key"  # what the shop and its in-process demo panel agree on (not a secret)
DEMO_STEP_SECONDS = 20.0  # the demo's orders move one step this often (a few minutes from Pending to final)


class ConfigError(Exception):
    """A setting is missing or malformed; the message is safe to print."""


# the redactor masks every secret in logs and messages; a shorter value would mask ordinary words
# everywhere, so a secret this short is refused at start-up instead of being left visible
MIN_SECRET_LENGTH = 6


# OrderType's values (bot/panel/models.py; config imports nothing of ours, a test keeps the two equal)
OrderTypeName = Literal[
    "default", "package", "custom_comments", "custom_comments_package", "mentions", "mentions_with_hashtags",
    "mentions_custom_list", "mentions_hashtag", "mentions_user_followers", "mentions_media_likers",
    "comment_likes", "comment_replies", "poll", "invites_from_groups", "subscriptions", "seo", "web_traffic",
    "unsupported",
]


class PanelConfig(BaseModel):
    """One SMM panel: a short name, its API v2 URL and its key."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    url: str = Field(pattern=r"^(https?://\S+|demo)$")  # "demo": the built-in demo panel (bot/panel/demo.py)
    key: SecretStr  # its length is checked with every other secret's in load_settings
    timeout_seconds: float = Field(default=30, gt=0, le=300)
    # what cannot be detected: how the panel takes its fields (a 405/415 switches by itself) and
    # field names it spells differently, e.g. {"link": "url"}
    method: Literal["post", "get", "json"] = "post"
    aliases: dict[str, str] = Field(default_factory=dict)
    # the panel's own words for order types, e.g. {"Views Special": "default"} (bot/panel/type_names.py)
    types: dict[str, OrderTypeName] = Field(default_factory=dict)
    demo_step_seconds: float = Field(default=DEMO_STEP_SECONDS, gt=0, le=3600)  # the demo panel's pace only

    @property
    def is_demo(self) -> bool:
        return self.url == DEMO_URL


class TelegramSettings(BaseSettings):
    model_config = _ENV

    bot_token: SecretStr
    telegram_api_url: str = Field(default="https://api.telegram.org", pattern=r"^https?://\S+$")
    conversation_timeout_seconds: int = Field(default=1800, ge=60)
    flood_max_updates: int = Field(default=20, ge=1)
    flood_window_seconds: int = Field(default=10, ge=1)
    # conversation states are written only when PTB updates persistence: keep this short
    persistence_interval_seconds: float = Field(default=5, gt=0, le=3600)
    # webhook mode when WEBHOOK_URL is set (else long polling); the local path is WEBHOOK_URL's path
    webhook_url: str | None = None
    webhook_listen: str = Field(default="0.0.0.0", min_length=1)  # inside a container: every interface
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    # SIGTERM: how long received updates, placing orders and running jobs may take before being interrupted
    shutdown_grace_seconds: float = Field(default=30, ge=0, le=600)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]{20,}", value.get_secret_value()):
            raise ValueError("does not look like a bot token (digits:letters, from @BotFather)")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        # PTB turns the path into a URL pattern, so only plain path characters are allowed
        if not re.fullmatch(r"https?://[^/\s?#]+(/[A-Za-z0-9._~/-]*)?", value):
            raise ValueError("must be an http(s) URL with a plain path and no query, e.g. https://bot.example.com/tg")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            if info.data.get("webhook_url"):
                raise ValueError("required when WEBHOOK_URL is set (Telegram sends it with every update)")
            return None
        # Telegram's alphabet for secret_token; 16+ characters so it cannot be guessed
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()):
            raise ValueError("must be 16 to 256 characters: letters, digits, _ and -")
        return value

    @property
    def webhook_path(self) -> str:
        """The path the webhook server answers on: WEBHOOK_URL's path ('' for the root)."""
        return urlsplit(self.webhook_url).path.rstrip("/") if self.webhook_url else ""

    @property
    def base_url(self) -> str:
        """PTB appends the token to this: {root}/bot{token}/METHOD."""
        return self.telegram_api_url.rstrip("/") + "/bot"

    @property
    def base_file_url(self) -> str:
        return self.telegram_api_url.rstrip("/") + "/file/bot"


class PanelSettings(BaseSettings):
    model_config = _ENV

    panels: list[PanelConfig] = Field(default_factory=list)
    panel_url: str | None = Field(default=None, pattern=r"^(https?://\S+|demo)$")
    panel_key: SecretStr | None = None
    panel_timeout_seconds: float = Field(default=30, gt=0, le=300)
    demo_step_seconds: float = Field(default=DEMO_STEP_SECONDS, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_source(self) -> PanelSettings:
        if self.panel_url == DEMO_URL or any(p.is_demo for p in self.panels):
            return self._demo_only()
        if self.panel_url or self.panel_key:
            if not (self.panel_url and self.panel_key):
                raise ValueError("PANEL_URL and PANEL_KEY go together")
            if any(p.name == "main" for p in self.panels):
                raise ValueError("PANELS: already has a panel named 'main', which PANEL_URL would add")
            self.panels.append(
                PanelConfig(name="main", url=self.panel_url, key=self.panel_key,
                            timeout_seconds=self.panel_timeout_seconds)
            )
        if not self.panels:
            raise ValueError("set PANELS (JSON list) or PANEL_URL and PANEL_KEY")
        names = [p.name for p in self.panels]
        if len(names) != len(set(names)):
            raise ValueError("PANELS: panel names must be unique")
        return self

    def _demo_only(self) -> PanelSettings:
        """PANEL_URL=demo: the demo panel alone, so it can never be mixed with a real panel by accident."""
        if self.panel_key is not None:
            raise ValueError("PANEL_URL=demo needs no PANEL_KEY: remove PANEL_KEY (or set a real PANEL_URL)")
        others = [p for p in self.panels if not p.is_demo]
        if others or (self.panel_url == DEMO_URL and self.panels) or len(self.panels) > 1:
            raise ValueError("PANEL_URL=demo runs the demo panel alone: remove PANELS (or set a real PANEL_URL)")
        self.panels = [PanelConfig(name="demo", url=DEMO_URL, key=SecretStr(DEMO_KEY),
                                   demo_step_seconds=self.demo_step_seconds)]
        return self

    @property
    def demo(self) -> bool:
        """Whether the shop runs on the built-in demo panel."""
        return any(p.is_demo for p in self.panels)


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
