"""Typed answers to a prompt the bot sent ("reply with the amount", "reply with the code").

A feature stores the prompt's message id in user_data under its own key; only a text reply to
the customer's latest prompt reaches the feature's callback, and any other text passes on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


class PromptReplyHandler(MessageHandler):
    """Text replies to the customer's latest prompt stored under `prompt_key`, and nothing else."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], prompt_key: str,
                 callback: Callback) -> None:
        typed = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & filters.REPLY
        super().__init__(typed & ~filters.COMMAND, callback)
        self._application = application
        self._prompt_key = prompt_key

    def check_update(self, update: object) -> bool:
        if not super().check_update(update):
            return False
        message, user = update.message, update.effective_user  # type: ignore[union-attr]
        data = self._application.user_data.get(user.id) if user is not None else None
        return bool(data) and data.get(self._prompt_key) == message.reply_to_message.message_id
