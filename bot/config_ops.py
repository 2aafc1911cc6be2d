"""Settings of the operator tools (bot/ops/): automatic backups. Wired into bot.config.Settings as `ops`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class OpsSettings(BaseSettings):
    model_config = _ENV

    # a daily consistent copy of the SQLite database goes here (unset: no automatic backups)
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1, le=1000)  # the newest this many automatic backups are kept

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
