"""Chat throughput of the New-order flow beside a bare PTB echo bot, on the same fake Bot API.

    /work/venv/bin/python bench/chat_bench.py [--customers 30]

N simulated customers go through the whole flow at once, each waiting for the bot's answer
before the next step (/order → platform → category → service → Order → link → quantity → Skip
→ Confirm → placed), against FakeTelegram and FakePanel of tests/fakes on 127.0.0.1. The real
Application is built by bot.app.build_application (persistence, anti-flood, rate limiter).
The echo bot is a bare Application answering each text with the same text; it gets the same
number of updates per customer. Latency = from queuing the customer's update to the bot's
call that answers it, as the fake server recorded it. Printed: updates/s and p50/p95 latency
of each, and their ratios. Telegram's 30 messages/s (AIORateLimiter) caps both bots alike, so
each is also measured without the rate limiter to show the flow's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bot/ and tests/fakes

from telegram import Update  # noqa: E402
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, MessageHandler, filters  # noqa: E402

from bot.domain import catalogue, wallet  # noqa: E402
from bot.handlers import order_flow  # noqa: E402
from bot.money import to_minor  # noqa: E402
from tests.e2e.harness import BotEnv  # noqa: E402
from tests.fakes.telegram_server import FakeTelegram  # noqa: E402

# (kind, what to send or press, which call answers it, text the answer must show)
FLOW = [
    ("send", "/order", "sendMessage", "New order"),
    ("press", "Instagram", "editMessageText", "category"),
    ("press", "Instagram Followers", "editMessageText", "service"),
    ("press", "Instagram Followers <Real>", "editMessageText", "Minimum"),
    ("press", "Order this", "editMessageText", "link"),
    ("send", "https://instagram.com/p/{user}", "sendMessage", "How many"),
    ("send", "1000", "sendMessage", "Drip-feed"),
    ("press", "Skip", "editMessageText", "Check your order"),
    ("press", "Confirm", "editMessageText", "is placed"),
]
FIRST_USER = 1000


@dataclass
class Figures:
    name: str
    updates: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def quantile(self, q: float) -> float:
        return statistics.quantiles(self.latencies, n=100)[int(q * 100) - 1] * 1000

    def line(self) -> str:
        return (f"{self.name:<32} {self.updates:5d} updates in {self.seconds:6.2f} s = {self.rate:7.1f} updates/s, "
                f"reply p50 {self.quantile(0.5):7.1f} ms, p95 {self.quantile(0.95):7.1f} ms")


async def _step(tg: FakeTelegram, user: int, kind: str, what: str, method: str, shows: str) -> float:
    """One customer action and the seconds until the bot's answering call."""
    since = len(tg.calls)
    started = time.monotonic()
    if kind == "send":
        tg.send_text(user, what.format(user=user))
    else:
        screen = tg.last_message(user)
        data = next(d for label, d in screen.buttons if what in label)
        tg.press(user, screen, data)
    call = await tg.wait_for(method, lambda c: c.ok and shows in (c.text or ""), chat_id=user, since=since,
                             timeout=120)
    return call.at - started


async def _customers(tg: FakeTelegram, count: int, script: list[tuple[str, str, str, str]]) -> tuple[float, list]:
    """Every customer runs the script at once; (wall seconds, latencies)."""
    latencies: list[float] = []

    async def one(user: int) -> None:
        for step in script:
            latencies.append(await _step(tg, user, *step))

    started = time.monotonic()
    await asyncio.gather(*(one(FIRST_USER + i) for i in range(count)))
    return time.monotonic() - started, latencies


async def bench_flow(workdir: Path, customers: int, rate_limited: bool) -> Figures:
    """The real bot through the whole New-order flow."""
    def unlimited(app: Application) -> None:
        if not rate_limited:
            app.bot._rate_limiter = None  # bench only: measure the flow, not Telegram's 30/s cap

    env = BotEnv(workdir, panels={"main": "sofia"}, features=[order_flow], setup=unlimited,
                 settings={"telegram": {"flood_max_updates": 1000}})
    await env.start()
    try:
        await catalogue.refresh_catalogue(env.db, env.runtime.panels)
        for i in range(customers):
            await wallet.credit(env.db, FIRST_USER + i, to_minor(Decimal(100)))
        seconds, latencies = await _customers(env.tg, customers, FLOW)
        assert len(env.panel.orders) == customers, "every customer must end with one placed order"
    finally:
        await env.stop()
    name = "order flow" + ("" if rate_limited else " (no rate limiter)")
    return Figures(name, customers * len(FLOW), seconds, latencies)


async def bench_echo(customers: int, rate_limited: bool) -> Figures:
    """A bare PTB echo bot answering the same number of updates."""
    tg = FakeTelegram()
    await tg.start()
    builder = ApplicationBuilder().token(tg.token).base_url(tg.url + "/bot")
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter())
    app = builder.build()

    async def echo(update: Update, context: object) -> None:
        await update.effective_message.reply_text(update.effective_message.text)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    await app.updater.start_polling(poll_interval=0, timeout=10)
    await app.start()
    try:
        script = [("send", f"step {i} of {{user}}", "sendMessage", f"step {i} of") for i in range(len(FLOW))]
        seconds, latencies = await _customers(tg, customers, script)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await tg.stop()
    name = "echo bot" + (" (same rate limiter)" if rate_limited else " (bare)")
    return Figures(name, customers * len(FLOW), seconds, latencies)


async def main() -> None:
    for var in ("NO_PROXY", "no_proxy"):  # httpx honours proxy variables; the fakes are on 127.0.0.1
        os.environ[var] = ",".join(filter(None, [os.environ.get(var), "127.0.0.1", "localhost"]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        flow = await bench_flow(Path(tmp) / "a", args.customers, rate_limited=True)
        flow_free = await bench_flow(Path(tmp) / "b", args.customers, rate_limited=False)
    echo = await bench_echo(args.customers, rate_limited=True)
    echo_free = await bench_echo(args.customers, rate_limited=False)
    print(f"{args.customers} customers at once, {len(FLOW)} updates each")
    for figures in (flow, echo, flow_free, echo_free):
        print(figures.line())
    for mine, theirs in ((flow, echo), (flow_free, echo_free)):
        print(f"{mine.name} / {theirs.name}: updates/s x{mine.rate / theirs.rate:.2f}, "
              f"p50 x{mine.quantile(0.5) / theirs.quantile(0.5):.2f}, p95 x{mine.quantile(0.95) / theirs.quantile(0.95):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
