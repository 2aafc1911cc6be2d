"""The bot's description and short description (what a customer reads before pressing Start).

Set at start-up from the locales (ops.bot_description, ops.bot_short_description), for the
default (no language) and for every shipped language, but only where the operator has not
written their own in @BotFather: a text is replaced only when it is empty or one of ours.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

from bot.runtime import app_runtime

log = logging.getLogger(__name__)

KINDS = (("description", "ops.bot_description", 512), ("short_description", "ops.bot_short_description", 120))


def _targets(languages: list[str], default_lang: str) -> dict[str | None, str]:
    targets: dict[str | None, str] = {None: default_lang}
    for lang in languages:
        code = lang.split("_", 1)[0].lower()
        if len(code) == 2:  # Telegram takes ISO 639-1 codes only
            targets.setdefault(code, lang)
    return targets


async def publish_profile(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Set each description the operator left empty (or ours); how many were set. Never raises."""
    rt = app_runtime(application)
    bot = application.bot
    targets = _targets(rt.i18n.languages, rt.default_language)
    written = 0
    for kind, msgid, limit in KINDS:
        ours = {rt.i18n.t(lang, msgid)[:limit] for lang in targets.values()}
        getter = bot.get_my_description if kind == "description" else bot.get_my_short_description
        setter = bot.set_my_description if kind == "description" else bot.set_my_short_description
        for code, lang in targets.items():
            text = rt.i18n.t(lang, msgid)[:limit]
            try:
                current = getattr(await getter(language_code=code), kind) or ""
                if current == text or (current and current not in ours):
                    continue  # already ours, or the operator's own
                await setter(**{kind: text}, language_code=code)
                written += 1
            except TelegramError as exc:
                log.warning("could not set the bot's %s for %s: %s", kind, code or "default", exc.message)
                return written
    return written
