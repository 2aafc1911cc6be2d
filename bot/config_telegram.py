"""Settings of the Telegram side: the bot token, the Bot API server, the conversation and anti-flood limits,
persistence, webhook mode and the graceful stop. An area of bot/config.py (`Settings.telegram`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


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
