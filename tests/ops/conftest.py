"""Fixtures of the operator-tool tests: the fakes, and `python -m bot <tool>` as a real process."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.deploy.process import process_env
from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import ADMIN_CHAT_ID, FakeTelegram

ADMIN_ID = 5550001


@pytest.fixture
async def panel() -> AsyncIterator[FakePanel]:
    async with FakePanel(dialect="folgen", key="ops-panel-key-0123456789") as fake:
        yield fake


def tool_env(tg: FakeTelegram, panel: FakePanel, tmp_path: Path, **extra: str) -> dict[str, str]:
    """A healthy shop's environment: the fakes, an admin group with one admin."""
    env = process_env(tg, panel, tmp_path / "data" / "bot.db", ADMIN_CHAT_ID=str(ADMIN_CHAT_ID),
                      ADMIN_IDS=str(ADMIN_ID))
    env.update(extra)
    return env


async def run_tool(cwd: Path, env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str, str]:  # noqa: ASYNC109
    """`python -m bot ARGS` in cwd: (exit code, stdout, stderr)."""
    await asyncio.to_thread(cwd.mkdir, parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    return process.returncode, out.decode(), err.decode()
