"""Start-up as a real process: each expected failure is one line on stderr (no traceback) and the
process does what the line says — stops (placeholder, refused token), waits for Telegram and then
starts, or starts anyway and tells the admin group (a panel refusing its key, a wrong admin group)."""

from __future__ import annotations

import asyncio

from tests.deploy.process import BotProcess, free_port
from tests.fakes.telegram_records import BOT_ID
from tests.fakes.telegram_server import ADMIN_CHAT_ID, FakeTelegram
from tests.ops.conftest import tool_env


def problem_lines(bot: BotProcess, words: str) -> list[str]:
    return [line for line in bot.lines if words in line]


async def test_the_env_example_placeholder_token_is_one_line_and_exit_2(tmp_path, tg, panel) -> None:
    env = tool_env(tg, panel, tmp_path, BOT_TOKEN="123456789:replace-with-the-token-from-BotFather")
    async with BotProcess(tmp_path, env) as bot:
        assert await bot.process.wait() == 2
    assert len(bot.lines) == 1, bot.lines
    assert " ERROR bot: BOT_TOKEN is still the placeholder from .env.example: create a bot with @BotFather" \
        in bot.lines[0]
    assert tg.calls == []


async def test_a_token_telegram_refuses_is_one_line_and_exit_2(tmp_path, tg, panel) -> None:
    env = tool_env(tg, panel, tmp_path, BOT_TOKEN="123456789:AAAnotTheTokenTelegramKnows_0123456789")
    async with BotProcess(tmp_path, env) as bot:
        assert await bot.process.wait() == 2
    assert len(bot.lines) == 1, bot.lines
    assert "Telegram refused BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather" in bot.lines[0]
    assert "AAAnotTheTokenTelegramKnows" not in bot.log
    bot.assert_clean_log()


async def test_an_unreachable_telegram_is_one_line_per_attempt_and_the_bot_starts_when_it_answers(
        tmp_path, panel) -> None:
    port = free_port()
    later = FakeTelegram(port=port)
    env = tool_env(later, panel, tmp_path, TELEGRAM_API_URL=f"http://127.0.0.1:{port}")
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line("attempt 2 failed", timeout=30)
        attempts = problem_lines(bot, "Telegram cannot be reached")
        assert len(attempts) == 2 and "attempt 1 failed, retrying in 1s" in attempts[0], bot.lines
        await later.start()
        try:
            await bot.wait_for_line("receiving updates by long polling", timeout=60)
            _, code = await bot.terminate()
        finally:
            await later.stop()
    assert code == 0
    assert "Traceback" not in bot.log
    bot.assert_clean_log(later.token, panel.key)


async def test_sigterm_while_waiting_for_telegram_stops_cleanly(tmp_path, tg, panel) -> None:
    env = tool_env(tg, panel, tmp_path, TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}")
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line("attempt 1 failed", timeout=30)
        _, code = await bot.terminate()
    assert code == 0 and "Traceback" not in bot.log


async def test_a_refused_panel_key_is_one_line_the_shop_starts_and_the_admins_are_told(tmp_path, tg, panel) -> None:
    env = tool_env(tg, panel, tmp_path, PANEL_KEY="not-the-panel-key-000")
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line("receiving updates by long polling")
        line = await bot.wait_for_line("panel main refused its key")
        assert "the shop starts anyway" in line and "retrying in 60s" in line
        post = await tg.wait_for("sendMessage", lambda c: "refused its key" in (c.text or ""), chat_id=ADMIN_CHAT_ID,
                                 since=0, timeout=20)
        assert "Invalid API key" in post.text
        _, code = await bot.terminate()
    assert code == 0
    assert len(problem_lines(bot, "refused its key")) == 1
    assert "Traceback" not in bot.log
    bot.assert_clean_log(tg.token, "not-the-panel-key-000")


async def test_a_wrong_admin_group_is_one_line_and_the_shop_runs(tmp_path, tg, panel) -> None:
    tg.members[(ADMIN_CHAT_ID, BOT_ID)] = "left"
    async with BotProcess(tmp_path, tool_env(tg, panel, tmp_path)) as bot:
        await bot.wait_for_line("receiving updates by long polling")
        line = await bot.wait_for_line(f"ADMIN_CHAT_ID {ADMIN_CHAT_ID}: the bot is not in the group")
        assert "send /id in the right group and fix ADMIN_CHAT_ID" in line
        await asyncio.sleep(0.5)  # still running
        assert bot.process.returncode is None
        _, code = await bot.terminate()
    assert code == 0 and len(problem_lines(bot, "the bot is not in the group")) == 1
