"""The process-wide services every handler reaches through `runtime(context)`.

Built once in `post_init` (bot/app.py) and kept in `application.bot_data["runtime"]`; bot_data is
not persisted, so nothing here is ever deep-copied or written to the database. Later features add
fields with defaults (e.g. a payments client) without touching the callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.domain.order_refresh import RefreshGate
from bot.i18n import Translator
from bot.storage.db import Database

if TYPE_CHECKING:
    from telegram.ext import Application, CallbackContext

    from bot.panel.hub import PanelHub

RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    """Settings plus the shared connections: one Database, one PanelHub, the loaded texts."""

    settings: Settings
    db: Database
    panels: PanelHub
    i18n: Translator
    refresh_gate: RefreshGate = field(default_factory=RefreshGate)  # customers' Refresh presses, per order

    @property
    def default_language(self) -> str:
        """The shop's default language (SHOP default_locale), as the Translator spells it."""
        return self.i18n.resolve(None, None, self.settings.shop.default_locale)

    def is_admin(self, user_id: int | None) -> bool:
        """Whether a Telegram user id is one of ADMIN_IDS."""
        return user_id is not None and user_id in self.settings.admin.admin_ids


def runtime(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    """The Runtime of the application running this callback (set up in post_init)."""
    return app_runtime(context.application)


def app_runtime(application: Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    """The Runtime stored in an Application; RuntimeError before post_init has run."""
    try:
        return application.bot_data[RUNTIME_KEY]
    except KeyError:
        raise RuntimeError("the runtime is not ready: post_init has not run") from None
