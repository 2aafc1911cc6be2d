"""`python -m bot` as operators run it: env settings, polling, a clean stop on SIGTERM, clean logs."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path

from tests.e2e.harness import _no_proxy_for_loopback
from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import ADMIN_CHAT_ID, FakeTelegram

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: ")


async def wait_until(condition) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_runs_polls_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    _no_proxy_for_loopback()
    async with FakeTelegram() as tg, FakePanel(key="process-panel-key-0001") as panel:
        env = {
            "PATH": os.environ.get("PATH", ""), "NO_PROXY": os.environ["NO_PROXY"],
            "BOT_TOKEN": tg.token, "TELEGRAM_API_URL": tg.url,
            "PANEL_URL": panel.url, "PANEL_KEY": panel.key,
            "DATABASE_PATH": str(tmp_path / "data" / "bot.db"), "ADMIN_CHAT_ID": str(ADMIN_CHAT_ID),
            "LOG_LEVEL": "DEBUG",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            await wait_until(lambda: tg.polls >= 1)
            tg.send_text(42, "/start")
            await wait_until(lambda: tg._confirmed_offset > 1)  # fetched and confirmed
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log[-2000:]
    lines = log.splitlines()
    assert lines and all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)][:3]
    assert any(" INFO bot.app: started: 1 panel(s)" in line for line in lines)
    assert any(" INFO bot.app: stopped" in line for line in lines)
    assert tg.token not in log and tg.token.split(":")[1] not in log and panel.key not in log
    assert (tmp_path / "data" / "bot.db").exists()
