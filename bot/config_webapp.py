"""Settings of the storefront Mini App (WEBAPP_*); the area is off while WEBAPP_URL is unset."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class WebAppSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # the public https URL Telegram opens (behind the operator's TLS proxy); unset = no Mini App
    webapp_url: str | None = None
    webapp_listen: str = Field(default="0.0.0.0", min_length=1)
    webapp_port: int = Field(default=8080, ge=1, le=65535)
    # an initData older than this is refused (Telegram signs it when the Mini App opens)
    webapp_auth_max_age_seconds: int = Field(default=86400, ge=60, le=30 * 86400)
    # per customer: API requests allowed in FLOOD_WINDOW_SECONDS
    webapp_rate_limit: int = Field(default=60, ge=5, le=10_000)

    @field_validator("webapp_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not re.fullmatch(r"https?://[^/\s?#]+(/[A-Za-z0-9._~/-]*)?", value):
            raise ValueError("must be an https URL with a plain path and no query, e.g. https://shop.example.com/app")
        parts = urlsplit(value)
        if parts.scheme != "https" and parts.netloc.split(":")[0] not in _LOCAL_HOSTS and parts.netloc not in _LOCAL_HOSTS:
            raise ValueError("must be https (Telegram opens Mini Apps over TLS only)")
        return value

    @property
    def enabled(self) -> bool:
        return self.webapp_url is not None

    @property
    def path(self) -> str:
        """Where the Mini App lives on the server: WEBAPP_URL's path without the trailing slash."""
        return urlsplit(self.webapp_url).path.rstrip("/") if self.webapp_url else ""

    @property
    def page_url(self) -> str | None:
        """The URL given to Telegram's web_app buttons (always ending in a slash)."""
        return self.webapp_url.rstrip("/") + "/" if self.webapp_url else None
