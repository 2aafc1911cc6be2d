"""Fixtures of the order-flow tests: the real bot (order flow only) against the fakes, and customers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain import wallet
from bot.handlers import order_flow
from bot.money import to_minor
from tests.e2e.harness import BotEnv
from tests.fakes.telegram_records import BotMessage, Call


class Customer:
    """One customer's side of the chat: type, press, and read what the bot shows next."""

    def __init__(self, env: BotEnv, user_id: int, lang: str = "en") -> None:
        self.env, self.user_id, self.lang = env, user_id, lang
        self.screen: BotMessage | None = None  # the message the flow shows now

    @property
    def tg(self):
        return self.env.tg

    async def send(self, text: str) -> BotMessage:
        """Type a message; the bot's reply."""
        self.tg.send_text(self.user_id, text, language_code=self.lang)
        self.screen = await self.tg.next_message(self.user_id)
        return self.screen

    async def press(self, label: str, message: BotMessage | None = None) -> BotMessage:
        """Press the button whose text contains `label`; the message it produced or edited."""
        mark = len(self.tg.calls)
        self.tg.press_button(self.user_id, message or self.screen, label)
        self.screen = (await self.call_after(mark, ("editMessageText", "sendMessage"))).message
        return self.screen

    async def press_data(self, data: str, message: BotMessage | None = None) -> Call:
        """Press a button with exactly this data (stale or forged); the callback answer."""
        mark = len(self.tg.calls)
        self.tg.press(self.user_id, message or self.screen, data, language_code=self.lang)
        return await self.call_after(mark, ("answerCallbackQuery",))

    async def call_after(self, mark: int, methods: tuple[str, ...], timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        """The first successful call of `methods` to this customer after call number `mark`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.tg.calls[mark:]:
                to_me = call.method == "answerCallbackQuery" or call.chat_id == self.user_id
                if call.method in methods and call.ok and to_me:
                    return call
            await asyncio.sleep(0.005)
        raise AssertionError(f"no {methods} for {self.user_id}: {[c.method for c in self.tg.calls[mark:]]}")

    async def wait_screen(self, contains: str, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Wait until the flow's message (or a newer one) shows `contains`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.tg.messages_to(self.user_id)):
                if contains in message.plain:
                    self.screen = message
                    return message
            await asyncio.sleep(0.005)
        raise AssertionError(f"{contains!r} not shown; last: {self.tg.last_message(self.user_id).plain!r}")

    def button_data(self, label: str, message: BotMessage | None = None) -> str:
        """The callback data of a button (to press it again later)."""
        for text, data in (message or self.screen).buttons:
            if label in text:
                return data
        raise AssertionError(f"no button {label!r}")

    async def fund(self, amount: str) -> None:
        """Credit the wallet through the domain, as a top-up would."""
        await wallet.credit(self.env.db, self.user_id, to_minor(Decimal(amount)), note="test funds")

    async def balance(self) -> int:
        return await wallet.balance(self.env.db, self.user_id)


async def start_shop(tmp_path: Path, **options) -> BotEnv:
    """The real bot with the order flow, its catalogue fetched from the fake panel.

    The "sofia" dialect is the one that sends descriptions, ids as numbers and flags as 0/1.
    """
    options.setdefault("panels", {"main": "sofia"})
    options.setdefault("features", [order_flow])
    env = BotEnv(tmp_path, **options)
    await env.start()
    await env.load_catalogue()
    return env


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[BotEnv]:
    env = await start_shop(tmp_path / "shop")
    yield env
    await env.stop()


@pytest.fixture
def customer(shop: BotEnv) -> Customer:
    return Customer(shop, 42)
