"""Settings of the support desk (bot/handlers/support/): SUPPORT_* variables, wired into bot/config.py."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SupportSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # an open ticket unanswered this long is reminded once in the admin group; 0 = no reminders
    support_remind_minutes: float = Field(default=30, ge=0, le=10_080)
    # answers show the answering admin's first name to the customer (off: "the shop" answers)
    support_show_admin_name: bool = False
    # per customer: more support messages than this in the window get one notice and are not relayed
    support_max_messages: int = Field(default=5, ge=1, le=100)
    support_window_seconds: int = Field(default=60, ge=1, le=3600)
