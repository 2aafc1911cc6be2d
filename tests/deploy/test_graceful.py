"""Graceful stop of the served bot: work in progress finishes within the grace, is interrupted past it.

Work in progress here is a test-only non-blocking handler (/slow), a blocking one (/block) and a
JobQueue job (/job, standing in for the sync cycle), each sleeping `seconds`.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, ConversationHandler

from bot.runtime import runtime
from bot.storage import conversations
from bot.storage.db import Database
from bot.telegram.graceful import unfinished_work


class SlowWork:
    """Test-only handlers and a job that take `seconds`, recording how each one ended."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: list[str] = []
        self.finished: list[str] = []
        self.interrupted: list[str] = []

    def register(self, application: Application) -> None:
        application.add_handler(CommandHandler("slow", self._handler("slow"), block=False))
        application.add_handler(CommandHandler("block", self._handler("block")))
        application.add_handler(CommandHandler("job", self._start_job))

    def _handler(self, name: str):
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            await self.work(name, context)
            await update.effective_message.reply_text(f"{name} done")
        return handle

    async def _start_job(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        context.job_queue.run_once(self._job, 0, name="slow-job")

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.work("job", context)

    async def work(self, name: str, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.started.append(name)
        try:
            await asyncio.sleep(self.seconds)
        except asyncio.CancelledError:
            await runtime(context).db.schema_version()  # clean-up can still use the database
            self.interrupted.append(name)
            raise
        self.finished.append(name)

    async def wait_started(self, *names: str) -> None:
        deadline = time.monotonic() + 10
        while not set(names) <= set(self.started):
            assert time.monotonic() < deadline, f"not started: {set(names) - set(self.started)}"
            await asyncio.sleep(0.01)


async def start_all(bot, work: SlowWork, tg) -> None:
    """Non-blocking handler and job first (a blocking handler holds back the updates after it)."""
    tg.send_text(42, "/slow")
    tg.send_text(43, "/job")
    await work.wait_started("slow", "job")
    tg.send_text(44, "/block")
    await work.wait_started("block")


def replies(tg) -> list[str]:
    return [c.text for c in tg.calls_of("sendMessage")]


async def test_work_in_progress_finishes_within_the_grace_and_no_new_update_is_taken(served, tg) -> None:
    work = SlowWork(seconds=1.0)
    bot = await served(setup=work.register, telegram={"shutdown_grace_seconds": 10})
    await start_all(bot, work, tg)
    stopping = asyncio.create_task(bot.stop())
    deadline = time.monotonic() + 5
    while bot.app.updater.running:
        assert time.monotonic() < deadline, "polling did not stop"
        await asyncio.sleep(0.01)
    late = tg.send_text(45, "/slow")  # arrives after SIGTERM: left with Telegram for the next start
    elapsed = await stopping
    assert sorted(work.finished) == ["block", "job", "slow"] and work.interrupted == []
    assert elapsed < 5, elapsed
    assert sorted(replies(tg)) == ["block done", "slow done"]  # sent during the grace
    assert work.started.count("slow") == 1 and tg._confirmed_offset <= late["update_id"]
    assert "runtime" not in bot.app.bot_data and bot.app.persistence._db is None  # post_shutdown ran


async def test_past_the_grace_everything_still_running_is_interrupted(served, tg, caplog) -> None:
    work = SlowWork(seconds=60)
    bot = await served(setup=work.register, telegram={"shutdown_grace_seconds": 0.5})
    await start_all(bot, work, tg)
    # PTB keeps these in private attributes: this pins the names bot/telegram/graceful.py reads
    names = [item.get_name() for item in unfinished_work(bot.app)]
    assert len(names) == 3, names
    assert any(n.endswith(":update_fetcher") for n in names)  # handling /block
    assert any("non_blocking" in n for n in names)  # /slow
    with caplog.at_level(logging.WARNING, logger="bot.telegram.graceful"):
        elapsed = await bot.stop()
    assert elapsed < 4, elapsed  # 0.5 s grace + clean-up, not 60 s
    assert sorted(work.interrupted) == ["block", "job", "slow"] and work.finished == []
    assert "interrupting 3 task(s)" in caplog.text
    assert replies(tg) == []
    assert "runtime" not in bot.app.bot_data and bot.app.persistence._db is None


async def test_a_second_signal_cuts_the_grace_short(served, tg) -> None:
    work = SlowWork(seconds=60)
    bot = await served(setup=work.register, telegram={"shutdown_grace_seconds": 60})
    tg.send_text(42, "/slow")
    await work.wait_started("slow")
    stopping = asyncio.create_task(bot.stop())
    await asyncio.sleep(0.3)
    assert not stopping.done()  # waiting within the grace
    bot.hurry_event.set()
    assert await asyncio.wait_for(stopping, 5) < 5
    assert work.interrupted == ["slow"]


def add_talk(application: Application, seconds: float) -> None:
    """A persistent conversation whose second step (1 -> 2) is non-blocking and slow."""

    async def enter(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.effective_message.reply_text("in")
        return 1

    async def slow_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await asyncio.sleep(seconds)
        return 2

    application.add_handler(ConversationHandler(
        entry_points=[CommandHandler("talk", enter)],
        states={1: [CommandHandler("wait", slow_step, block=False)], 2: []},
        fallbacks=[], name="talk", persistent=True))


# no "coroutine ... was never awaited" from the abandoned last write either
@pytest.mark.filterwarnings("error::RuntimeWarning", "error::pytest.PytestUnraisableExceptionWarning")
async def test_an_interrupted_conversation_step_keeps_its_old_state_and_everything_closes(
        served, tg, caplog) -> None:
    bot = await served(setup=lambda app: add_talk(app, 60), telegram={"shutdown_grace_seconds": 0.3})
    tg.send_text(42, "/talk")
    await tg.next_message(42)
    tg.send_text(42, "/wait")
    await asyncio.sleep(0.3)
    with caplog.at_level(logging.WARNING):
        assert await bot.stop() < 4
    # PTB raises the step's CancelledError while writing conversation states; serve() survives it
    assert "stopped at an interrupted conversation step" in caplog.text
    assert bot.app.persistence._db is None
    db = await Database.open(bot.database_path)
    try:
        assert await conversations.load_conversations(db, "talk") == {(42, 42): 1}
    finally:
        await db.close()


async def test_a_step_finished_in_the_grace_is_written_at_shutdown(served, tg) -> None:
    bot = await served(setup=lambda app: add_talk(app, 0.5), telegram={"shutdown_grace_seconds": 10,
                                                                      "persistence_interval_seconds": 3600})
    tg.send_text(42, "/talk")
    await tg.next_message(42)
    tg.send_text(42, "/wait")
    await asyncio.sleep(0.1)
    await bot.stop()
    db = await Database.open(bot.database_path)
    try:  # only the shutdown wrote (the interval is an hour), after the step had finished
        assert await conversations.load_conversations(db, "talk") == {(42, 42): 2}
    finally:
        await db.close()
