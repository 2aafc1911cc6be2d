"""The operators' side of the admin tests: speak in the admin group, read the bot's answers there."""

from __future__ import annotations

import asyncio
import itertools
import time
from decimal import Decimal

from bot.domain import ordering, wallet
from bot.money import to_minor
from bot.panel.hub import PanelHub
from bot.panel.models import OrderRequest
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv
from tests.fakes.telegram_records import BotMessage, Call

_tokens = itertools.count(1)

# what an admin action may change; a refused one must leave all of it as it was
SNAPSHOT_QUERIES = {
    "ledger": "SELECT id, user_id, amount, kind, reference, note, actor FROM ledger ORDER BY id",
    "orders": "SELECT id, status, panel_order_id, refunded, fail_kind FROM orders ORDER BY id",
    "markups": "SELECT scope, percent FROM markups ORDER BY scope",
    "categories": "SELECT id, hidden FROM categories ORDER BY id",
    "services": "SELECT panel, service_id, hidden, rate, available FROM services ORDER BY panel, service_id",
    "banned": "SELECT id FROM users WHERE banned = 1 ORDER BY id",
    "audit": "SELECT id, admin_id, action FROM audit_log ORDER BY id",
}


async def snapshot(env: BotEnv) -> dict[str, list[tuple]]:
    """Everything an admin command could change, as plain tuples."""
    return {name: [tuple(row) for row in await env.db.fetchall(sql)] for name, sql in SNAPSHOT_QUERIES.items()}


class Ops:
    """The admin group: who speaks, and what the bot answers there."""

    def __init__(self, env: BotEnv, user_id: int) -> None:
        self.env, self.user_id = env, user_id

    @property
    def tg(self):
        return self.env.tg

    async def say(self, text: str, *, contains: str | None = None, timeout: float = 5.0,  # noqa: ASYNC109
                  reply_to: BotMessage | None = None) -> BotMessage:
        """Write in the admin group; the bot's next message there (containing `contains`, if given)."""
        update = self.tg.send_group_text(self.user_id, text)
        if reply_to is not None:
            update["message"]["reply_to_message"] = reply_to.to_api()
        call = await self.tg.wait_for(
            "sendMessage", lambda c: c.ok and (contains is None or contains in c.message.plain),
            chat_id=ADMIN_CHAT_ID, timeout=timeout)
        return call.message

    async def press(self, message: BotMessage, label: str, *, user_id: int | None = None) -> Call:
        """Press a button of a bot message in the admin group; the callback's answer."""
        mark = len(self.tg.calls)
        self.tg.press_button(user_id or self.user_id, message, label)
        return await self.tg.wait_for("answerCallbackQuery", since=mark)


async def customer_starts(env: BotEnv, user_id: int, *, lang: str = "en", username: str | None = None) -> None:
    """A customer writes /start (recorded with their language and username)."""
    env.tg.send_text(user_id, "/start", language_code=lang, username=username)
    await env.tg.next_message(user_id)


async def fund(env: BotEnv, user_id: int, amount: str) -> None:
    """Money on a customer's wallet, as a top-up would put it there."""
    await wallet.credit(env.db, user_id, to_minor(Decimal(amount)), note="test funds")


async def place(env: BotEnv, user_id: int, *, service: str = "1", quantity: int = 1000,
                panels: PanelHub | None = None):
    """An order through the domain against the fake panel; the PlaceResult."""
    request = OrderRequest(service=service, link="https://instagram.com/p/x", quantity=quantity)
    return await ordering.place_order(
        env.db, panels or env.runtime.panels, user_id=user_id, panel="main", request=request,
        client_token=f"admin-test-{next(_tokens)}", default_markup=Decimal(0))


async def quiet(env: BotEnv, seconds: float = 0.3) -> None:
    """Let the bot handle what was sent (for tests that expect no answer at all)."""
    await env.tg.settle(quiet=seconds)


async def eventually(check, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until check() is truthy."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)
