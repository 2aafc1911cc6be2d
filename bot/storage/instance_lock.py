"""Which instance may run: a PostgreSQL advisory lock (hot standby) or a lock file beside SQLite.

PostgreSQL: `LeaderLock` holds `pg_try_advisory_lock(key)` on a connection of its own (never the
data connection, never a pool): the server releases the lock when that session ends, also when the
process is killed or its machine vanishes (TCP keepalives on this connection: ~11 s). The key is
derived from the database and schema, so one server can hold several shops. A stepping-down
leader NOTIFYs the channel; standbys LISTEN on their lock connection, so a graceful hand-over is
immediate, and otherwise they try again every STANDBY_CHECK_SECONDS.

SQLite: `FileLock` takes an exclusive `flock` on `<database>.lock`; a second instance on the same
file is refused at once (the kernel drops the lock with the process, so a crash never leaves it).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

CHANNEL = "smm_bot_leader"
_KEY = "hashtext('smm-bot leader ' || current_database() || '.' || current_schema())"
_KEEPALIVE = {"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "2", "tcp_keepalives_count": "3"}
CHECK_TIMEOUT_SECONDS = 3.0


class AnotherInstance(RuntimeError):
    """Another instance already runs on this SQLite file."""


class FileLock:
    """An exclusive flock on `<database>.lock`, held until release() or the process ends."""

    def __init__(self, database_path: Path) -> None:
        self.path = Path(database_path).with_name(Path(database_path).name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AnotherInstance(
                f"another instance of the bot is running on {self.path.with_suffix('')}; "
                "stop it first (with SQLite only one instance may run; use DATABASE_URL=postgresql://… "
                "for a hot standby)") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class LeaderLock:
    """The advisory lock that makes one instance active, on its own connection (see the module doc)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn = None
        self._released = asyncio.Event()
        self._key_text: str | None = None

    async def connect(self) -> None:
        import asyncpg

        self._conn = await asyncpg.connect(
            self.url, server_settings={"application_name": "smm-bot leader lock", **_KEEPALIVE})
        self._key_text = await self._conn.fetchval(f"SELECT CAST({_KEY} AS TEXT)")  # noqa: S608
        await self._conn.add_listener(CHANNEL, self._notified)

    def _notified(self, _conn, _pid, _channel, payload: str) -> None:
        if payload == self._key_text:
            self._released.set()

    async def try_acquire(self) -> bool:
        """Take the lock if no other session holds it."""
        assert self._conn is not None
        self._released.clear()
        return bool(await self._conn.fetchval(f"SELECT pg_try_advisory_lock({_KEY})"))  # noqa: S608

    async def wait_for_release(self, seconds: float) -> None:
        """Until the active instance announces it stepped down, or `seconds` passed."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._released.wait(), seconds)

    async def still_held(self) -> bool:
        """Whether our session (and so the lock) is alive: False once the connection is gone."""
        if self._conn is None or self._conn.is_closed():
            return False
        try:
            held = await asyncio.wait_for(self._conn.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                "AND granted"), CHECK_TIMEOUT_SECONDS)
        except Exception:  # any failure: we cannot show we still hold it, so we do not
            return False
        return bool(held)

    async def release(self) -> None:
        """Step down: unlock, tell the standbys, close the connection."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not conn.is_closed():
                await asyncio.wait_for(conn.execute(f"SELECT pg_advisory_unlock({_KEY})"),  # noqa: S608
                                       CHECK_TIMEOUT_SECONDS)
                await asyncio.wait_for(conn.execute(f"SELECT pg_notify('{CHANNEL}', CAST({_KEY} AS TEXT))"),  # noqa: S608
                                       CHECK_TIMEOUT_SECONDS)
        except Exception as exc:  # closing the session releases the lock anyway
            log.warning("could not release the leader lock cleanly: %s", type(exc).__name__)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), CHECK_TIMEOUT_SECONDS)

    async def close(self) -> None:
        """Close without announcing (a standby that never led)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), CHECK_TIMEOUT_SECONDS)
