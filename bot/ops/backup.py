"""Backups: `python -m bot backup FILE` and the daily automatic one (BACKUP_DIR, BACKUP_KEEP).

The copy is made by SQLite's online backup API (bot/storage/ops.backup) on its own connection,
so it is consistent while the bot runs and places orders. Automatic backups are named
`bot-YYYYmmdd-HHMMSS.db`; after each one only the newest BACKUP_KEEP of them are kept (other
files in the folder are never touched). PostgreSQL databases are backed up with pg_dump (README).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.storage import ops as store

log = logging.getLogger(__name__)

NAME_FORMAT = "bot-%Y%m%d-%H%M%S.db"
_NAME = re.compile(r"^bot-\d{8}-\d{6}\.db$")
DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class BackupInfo:
    """The newest automatic backup and how many are kept."""

    newest: Path | None
    taken_at: datetime | None
    count: int
    size: int


async def backup_to(database_path: Path, target: Path) -> Path:
    """A consistent online copy of the database into `target` (replaced if it exists)."""
    await asyncio.to_thread(store.backup, Path(database_path), Path(target))
    return Path(target)


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in `folder`, oldest first (other files are not ours)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _NAME.match(p.name))


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups; the deleted ones."""
    found = automatic_backups(folder)
    doomed = found[:-keep] if keep > 0 else found
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


async def daily_backup(database_path: Path, folder: Path, keep: int, now: datetime | None = None) -> Path:
    """One automatic backup into `folder`, then the retention."""
    now = now or datetime.now(UTC)
    target = await backup_to(database_path, Path(folder) / now.strftime(NAME_FORMAT))
    removed = await asyncio.to_thread(prune, Path(folder), keep)
    log.info("backup written: %s (%d old backup(s) removed, keeping %d)", target, len(removed), keep)
    return target


def backup_info(folder: Path) -> BackupInfo:
    """What /stats shows of the automatic backups."""
    found = automatic_backups(folder)
    if not found:
        return BackupInfo(None, None, 0, 0)
    newest = found[-1]
    taken = datetime.strptime(newest.name, NAME_FORMAT).replace(tzinfo=UTC)
    return BackupInfo(newest, taken, len(found), newest.stat().st_size)


def seconds_until_due(folder: Path, now: datetime | None = None) -> float:
    """How long until the next automatic backup is due (0: now; a day after the newest one)."""
    info = backup_info(folder)
    if info.taken_at is None:
        return 0.0
    age = ((now or datetime.now(UTC)) - info.taken_at).total_seconds()
    return max(0.0, DAY_SECONDS - age)
