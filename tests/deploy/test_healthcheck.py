"""`python -m bot.healthcheck`: a fresh heartbeat from the running bot and a readable, migrated database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.healthcheck import (
    HEARTBEAT_SECONDS,
    database_problem,
    heartbeat_path,
    heartbeat_problem,
    touch_heartbeat,
)
from bot.storage.db import Database
from tests.dbs import fresh_postgres


def run_healthcheck(database_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "DATABASE_PATH": str(database_path)}
    return subprocess.run([sys.executable, "-m", "bot.healthcheck", *args], env=env, cwd=database_path.parent,
                          capture_output=True, text=True, timeout=30)


def test_heartbeat_missing_fresh_and_stale(tmp_path: Path) -> None:
    beat = heartbeat_path(tmp_path / "bot.db")
    assert beat == tmp_path / "bot.db.heartbeat"
    assert "no heartbeat" in heartbeat_problem(beat)
    touch_heartbeat(beat)
    assert heartbeat_problem(beat) is None
    assert "stuck" in heartbeat_problem(beat, max_age=180, now=time.time() + 181)
    assert heartbeat_problem(beat, max_age=180, now=time.time() + 170) is None


async def test_database_must_open_read_only_and_have_a_schema(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    assert "does not open read-only" in await database_problem(missing)
    assert not missing.exists()  # read-only: never created
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an sqlite database" * 100)
    assert "does not open read-only" in await database_problem(garbage)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert "has no schema" in await database_problem(empty)
    db = await Database.open(tmp_path / "bot.db")
    try:
        assert await database_problem(tmp_path / "bot.db") is None  # beside a live WAL writer
    finally:
        await db.close()


async def test_the_running_bot_is_healthy_and_a_stopped_one_is_not(served) -> None:
    bot = await served()
    beat = heartbeat_path(bot.database_path)
    deadline = time.monotonic() + 10
    while not beat.exists():  # the heartbeat job runs at once, then every minute
        assert time.monotonic() < deadline, "no heartbeat"
        await asyncio.sleep(0.02)
    assert heartbeat_problem(beat) is None and await database_problem(bot.database_path) is None
    [job] = bot.app.job_queue.get_jobs_by_name("heartbeat")
    assert job.job.trigger.interval == timedelta(seconds=HEARTBEAT_SECONDS)
    os.utime(beat, (time.time() - 600, time.time() - 600))
    await job.run(bot.app)  # what the JobQueue does every minute
    assert heartbeat_problem(beat) is None
    healthy = await asyncio.to_thread(run_healthcheck, bot.database_path)
    assert (healthy.returncode, healthy.stdout.strip()) == (0, "healthy")
    await bot.stop()
    os.utime(beat, (time.time() - 600, time.time() - 600))  # ten minutes without a beat
    stale = await asyncio.to_thread(run_healthcheck, bot.database_path)
    assert stale.returncode == 1 and stale.stdout.startswith("unhealthy: heartbeat is 6")


def test_no_database_is_unhealthy(tmp_path: Path) -> None:
    touch_heartbeat(heartbeat_path(tmp_path / "bot.db"))
    result = run_healthcheck(tmp_path / "bot.db")
    assert result.returncode == 1 and "does not open read-only" in result.stdout


@pytest.mark.postgres
async def test_with_postgresql_the_check_covers_the_server_and_its_schema(tmp_path: Path) -> None:
    async with fresh_postgres() as url:
        assert "has no schema" in await database_problem(url)
        db = await Database.open(url)
        await db.close()
        touch_heartbeat(heartbeat_path(tmp_path / "bot.db"))
        env = {"PATH": os.environ.get("PATH", ""), "DATABASE_PATH": str(tmp_path / "bot.db"), "DATABASE_URL": url}
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot.healthcheck"], env=env,
                                       cwd=tmp_path, capture_output=True, text=True, timeout=30)
        assert (done.returncode, done.stdout.strip()) == (0, "healthy"), done.stderr
    gone = "postgresql://smm:secret-password@127.0.0.1:1/none"
    problem = await database_problem(gone)
    assert "does not answer" in problem and "secret-password" not in problem
