"""Per-customer anti-flood: beyond FLOOD_MAX_UPDATES in FLOOD_WINDOW_SECONDS, updates are dropped.

A TypeHandler in group -1 (before every feature) counts each customer's updates in a sliding
window. Over the limit, the customer gets one polite notice per window and further updates are
dropped with ApplicationHandlerStop; dropped updates still count, so a flood ends only when the
customer pauses. Other customers are untouched; ADMIN_IDS are exempt; payment and membership
updates are never dropped (a pre-checkout query must be answered within 10 s). Memory is bounded:
idle customers are forgotten, and at most `max_tracked` are remembered.
"""

from __future__ import annotations

import enum
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, CallbackContext, TypeHandler

from bot.runtime import runtime
from bot.telegram.language import user_language

log = logging.getLogger(__name__)

GUARD_GROUP = -1


class Verdict(enum.Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit: drop it, but tell the customer once this window
    DROP = "drop"


class _Customer:
    __slots__ = ("times", "noticed_until")

    def __init__(self, size: int) -> None:
        self.times: deque[float] = deque(maxlen=size)
        self.noticed_until = 0.0


class FloodGuard:
    """Sliding-window counter per user id; pure logic, no Telegram."""

    def __init__(self, max_updates: int, window_seconds: float, *, max_tracked: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_updates, self.window = max_updates, window_seconds
        self.max_tracked, self._clock = max_tracked, clock
        self._customers: OrderedDict[int, _Customer] = OrderedDict()  # least recently active first

    def __len__(self) -> int:
        return len(self._customers)

    def check(self, user_id: int) -> Verdict:
        """Count one update of user_id and say what to do with it."""
        now = self._clock()
        self._forget_idle(now)
        customer = self._customers.pop(user_id, None) or _Customer(self.max_updates + 1)
        self._customers[user_id] = customer  # now the most recently active
        customer.times.append(now)
        while customer.times and customer.times[0] <= now - self.window:
            customer.times.popleft()
        if len(customer.times) <= self.max_updates:
            return Verdict.ALLOW
        if now >= customer.noticed_until:
            customer.noticed_until = now + self.window
            return Verdict.NOTIFY
        return Verdict.DROP

    def _forget_idle(self, now: float) -> None:
        """Drop customers idle for a whole window (their count and notice have expired), oldest first."""
        while self._customers:
            oldest = next(iter(self._customers.values()))
            active = oldest.times[-1] > now - self.window
            if active and len(self._customers) < self.max_tracked:
                return  # everyone after the oldest was active even more recently
            self._customers.popitem(last=False)


def _exempt_kind(update: Update) -> bool:
    """Updates that must never be dropped: payments and membership changes."""
    message = update.message
    return bool(
        update.pre_checkout_query or update.shipping_query or update.my_chat_member
        or update.chat_member or update.chat_join_request
        or (message and (message.successful_payment or message.refunded_payment))
    )


def make_flood_handler(guard: FloodGuard) -> TypeHandler:
    """The group -1 handler that applies `guard` to every customer update."""

    async def check_flood(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        """Drop this update if its sender floods; tell them once per window."""
        user = update.effective_user
        if user is None or _exempt_kind(update) or runtime(context).is_admin(user.id):
            return
        verdict = guard.check(user.id)
        if verdict is Verdict.ALLOW:
            return
        if verdict is Verdict.NOTIFY:
            log.info("user %s is flooding; dropping updates for %ss", user.id, guard.window)
            await _notify(update, context, guard)
        raise ApplicationHandlerStop

    return TypeHandler(Update, check_flood)


async def _notify(update: Update, context: CallbackContext[Any, Any, Any, Any], guard: FloodGuard) -> None:
    """One short notice: as a button alert for a press, as a message in a private chat."""
    rt = runtime(context)
    lang = await user_language(context, update.effective_user)
    text = rt.i18n.t(lang, "common.flood_notice", seconds=round(guard.window))
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await context.bot.send_message(chat_id=update.effective_chat.id, text=text)
