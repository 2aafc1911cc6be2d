"""Fixtures of the menu tests: the real bot (menu features + order flow) against the fakes, and a chat helper."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain import lookups, ordering, wallet
from bot.domain.order_results import Placed
from bot.handlers import balance, language, my_orders, order_flow, start
from bot.money import to_minor
from bot.panel.models import OrderRequest
from tests.e2e.harness import BotEnv
from tests.fakes.telegram_records import BotMessage, Call

MENU_FEATURES = [start, order_flow, my_orders, balance, language]
_tokens = itertools.count(1)


class Chat:
    """One customer's private chat: type, press, and read what the bot shows next."""

    def __init__(self, env: BotEnv, user_id: int, lang: str = "en") -> None:
        self.env, self.user_id, self.lang = env, user_id, lang

    @property
    def tg(self):
        return self.env.tg

    async def send(self, text: str, *, lang: str | None = None, username: str | None = None) -> BotMessage:
        """Type a message; the bot's reply."""
        self.tg.send_text(self.user_id, text, language_code=lang or self.lang, username=username)
        return await self.tg.next_message(self.user_id)

    async def press(self, message: BotMessage, label: str) -> BotMessage:
        """Press the button whose text contains `label`; the message it edited or sent."""
        mark = len(self.tg.calls)
        self.tg.press_button(self.user_id, message, label)
        return (await self.call_after(mark, ("editMessageText", "sendMessage"))).message

    async def press_data(self, message: BotMessage, data: str) -> Call:
        """Press a button carrying exactly `data` (stale or forged); the callback's answer."""
        mark = len(self.tg.calls)
        self.tg.press(self.user_id, message, data)
        return await self.call_after(mark, ("answerCallbackQuery",))

    async def call_after(self, mark: int, methods: tuple[str, ...], timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        """The first successful call of `methods` for this customer after call number `mark`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.tg.calls[mark:]:
                to_me = call.method == "answerCallbackQuery" or call.chat_id == self.user_id
                if call.method in methods and call.ok and to_me:
                    return call
            await asyncio.sleep(0.005)
        raise AssertionError(f"no {methods} for {self.user_id}: {[c.method for c in self.tg.calls[mark:]]}")

    def data_of(self, message: BotMessage, label: str) -> str:
        """The callback data of a button (to press it again later, or to forge from it)."""
        for text, data in message.buttons:
            if label in text:
                return data
        raise AssertionError(f"no button {label!r} in {[t for t, _ in message.buttons]}")

    def labels(self, message: BotMessage) -> list[str]:
        return [text for text, _ in message.buttons]

    async def fund(self, amount: str) -> None:
        """Credit the wallet through the domain, as a top-up would."""
        await wallet.credit(self.env.db, self.user_id, to_minor(Decimal(amount)), note="test funds")

    async def balance(self) -> int:
        return await wallet.balance(self.env.db, self.user_id)

    async def place(self, service: str = "1", quantity: int = 1000, link: str = "https://instagram.com/p/x",
                    **fields) -> int:
        """Place an order through the domain against the fake panel; our order id."""
        request = OrderRequest(service=service, link=link, quantity=quantity, **fields)
        result = await ordering.place_order(
            self.env.db, self.env.runtime.panels, user_id=self.user_id, panel="main", request=request,
            client_token=f"test-{next(_tokens)}", default_markup=Decimal(0))
        assert isinstance(result, Placed), result
        return result.order_id

    async def order(self, order_id: int):
        """The order as stored now."""
        return await lookups.user_order(self.env.db, self.user_id, order_id)


async def start_menu_bot(tmp_path: Path, **options) -> BotEnv:
    """The real bot with the menu features and the order flow; catalogue fetched from the fake panel."""
    options.setdefault("features", MENU_FEATURES)
    env = BotEnv(tmp_path, **options)
    await env.start()
    await env.load_catalogue()
    return env


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotEnv]:
    env = await start_menu_bot(tmp_path / "bot")
    yield env
    await env.stop()


@pytest.fixture
def alice(bot: BotEnv) -> Chat:
    return Chat(bot, 42)


@pytest.fixture
def bob(bot: BotEnv) -> Chat:
    return Chat(bot, 43)
