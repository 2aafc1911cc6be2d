"""The operator's command-line tools: `python -m bot check` and `python -m bot backup FILE`.

`check` prints one line per check (✓/✗ and what to do) and exits 0 only when every needed
check passed; it changes nothing. `backup` writes a consistent copy of the database while the
bot may be running. Both read the same settings (.env) as the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from telegram import Bot

from bot.config import ConfigError, Settings, load_settings
from bot.ops.backup import backup_to
from bot.ops.checks import Check, passed
from bot.ops.report import collect
from bot.panel.hub import PanelHub
from bot.storage import ops as store
from bot.storage.db import sqlite_path
from bot.telegram.redact import redact, register_settings_secrets


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="smm-bot: run the bot, or an operator tool")
    tools = parser.add_subparsers(dest="tool", required=True)
    tools.add_parser("check", help="check the settings, token, admin group, panels, database, payments, webhook")
    backup = tools.add_parser("backup", help="write a consistent copy of the SQLite database")
    backup.add_argument("file", type=Path, help="where to write the copy (replaced if it exists)")
    return parser


def run_tool(argv: list[str]) -> int:
    """Run `check` or `backup`; the process exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(Check("settings", False, str(exc), "fill .env from .env.example (README: Configuration)").line)
        return 1 if args.tool == "check" else 2
    register_settings_secrets(settings)
    if args.tool == "check":
        return asyncio.run(_check(settings))
    return asyncio.run(_backup(settings, args.file))


async def _check(settings: Settings) -> int:
    tg = settings.telegram
    bot = Bot(tg.bot_token.get_secret_value(), base_url=tg.base_url, base_file_url=tg.base_file_url)
    async with PanelHub(settings.panels.panels, retry_delays=(0.5,)) as panels:
        try:
            checks = await collect(settings, bot, panels)
        finally:
            await bot.shutdown()
    for check in checks:
        print(redact(check.line), flush=True)
    ok = passed(checks)
    print("All needed checks passed." if ok else "Fix the ✗ lines above, then run `python -m bot check` again.")
    return 0 if ok else 1


async def _backup(settings: Settings, target: Path) -> int:
    storage = settings.storage
    if storage.is_postgres:  # never DATABASE_PATH's file instead: that would back up a database not in use
        print("DATABASE_URL is PostgreSQL: `python -m bot backup` copies SQLite files; use pg_dump -Fc "
              "(README: Using it)", file=sys.stderr)
        return 2
    source = sqlite_path(storage.database)
    if not source.exists():
        print(f"no database at {source} ({'DATABASE_URL' if storage.database_url else 'DATABASE_PATH'})",
              file=sys.stderr)
        return 2
    await backup_to(source, target)
    if not await asyncio.to_thread(store.integrity_ok, target):
        print(f"the copy at {target} fails SQLite's integrity check", file=sys.stderr)
        return 1
    print(f"backup of {source} written to {target}")
    return 0
