"""Which language to talk to a customer in.

The stored choice lives in the users table (bot/storage/users.py, `language`, NULL = follow
Telegram); without one, Telegram's language_code is used, then the shop's default. The rule is
bot/domain/customers.py's; the Translator (rt.i18n) does the matching.
"""

from __future__ import annotations

from typing import Any

from telegram import User as TelegramUser
from telegram.ext import CallbackContext

from bot.domain import customers
from bot.runtime import Runtime, runtime
from bot.storage.users import User


async def language_for(rt: Runtime, user_id: int | None, telegram_code: str | None = None) -> str:
    """The customer's language from the users table, Telegram's code, or the default (no context needed)."""
    stored = None
    if user_id is not None:
        row = await customers.get_customer(rt.db, user_id)
        stored = row.language if row else None
    return rt.i18n.resolve(stored, telegram_code, rt.settings.shop.default_locale)


def keep_customer(context: CallbackContext[Any, Any, Any, Any], row: User) -> None:
    """Remember the gate's users row for this update: PTB builds one context per update, shared by every group."""
    context.gate_customer = row  # type: ignore[attr-defined]


def language_resolver(rt: Runtime) -> customers.LanguageResolver:
    """Telegram's language_code -> the language a customer without a stored choice gets (for the domain)."""
    return lambda telegram_code: rt.i18n.resolve(None, telegram_code, rt.settings.shop.default_locale)


async def user_language(context: CallbackContext[Any, Any, Any, Any], user: TelegramUser | None) -> str:
    """The language for replying to `user` (usually update.effective_user) inside a handler."""
    rt = runtime(context)
    if user is None:
        return rt.default_language
    kept: User | None = getattr(context, "gate_customer", None)
    if kept is not None and kept.id == user.id:  # the gate read the row for this very update
        return rt.i18n.resolve(kept.language, user.language_code, rt.settings.shop.default_locale)
    return await language_for(rt, user.id, user.language_code)
