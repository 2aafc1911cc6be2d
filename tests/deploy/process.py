"""`python -m bot` as a real process against the fakes on 127.0.0.1.

    async with BotProcess(tmp_path, tg, panel, extra_env={...}) as bot:
        await bot.wait_for_line("receiving updates")
        elapsed, code = await bot.terminate()          # SIGTERM, then wait for the exit
        bot.log                                        # everything it wrote to stderr
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import FakeTelegram

# one log line: "2026-01-01 10:00:00,123 INFO bot.app: started ..."
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: ")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_env(tg: FakeTelegram, panel: FakePanel, database_path: Path, **extra: str) -> dict[str, str]:
    """A minimal environment: the fakes, a temporary database, no proxy for loopback."""
    env = {
        "PATH": os.environ.get("PATH", ""), "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        "BOT_TOKEN": tg.token, "TELEGRAM_API_URL": tg.url,
        "PANEL_URL": panel.url, "PANEL_KEY": panel.key, "DATABASE_PATH": str(database_path), "LOG_LEVEL": "INFO",
    }
    env.update(extra)
    return env


class BotProcess:
    """One bot process; its stderr is read continuously into `log`."""

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self.cwd, self.env = cwd, dict(env)
        self.process: asyncio.subprocess.Process | None = None
        self.lines: list[str] = []
        self._reader: asyncio.Task[None] | None = None

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    async def __aenter__(self) -> BotProcess:
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=self.cwd, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            await self._reader

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    async def wait_for_line(self, text: str, timeout: float = 20.0) -> str:  # noqa: ASYNC109
        """The first log line containing text; AssertionError (with the log) if the process ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if text in line:
                    return line
            assert self.process is not None
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        raise AssertionError(f"no log line with {text!r}; log:\n{self.log[-3000:]}")

    async def terminate(self, timeout: float = 30.0) -> tuple[float, int]:  # noqa: ASYNC109
        """SIGTERM; (seconds until the process exited, its exit code)."""
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        elapsed = time.monotonic() - started
        assert self._reader is not None
        await self._reader
        return elapsed, code

    def assert_clean_log(self, *secrets: str) -> None:
        """Every line is one formatted log event, and no secret appears anywhere."""
        bad = [line for line in self.lines if not LOG_LINE.match(line)]
        assert not bad, bad[:5]
        for secret in secrets:
            assert secret not in self.log, "a secret reached the log"
