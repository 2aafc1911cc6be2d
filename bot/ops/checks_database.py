"""The database's lines of `check` and `/setup`: opens, schema vs the newest migration, ledger, wallets.

The same lines for both databases, read through bot/storage/ops.py without changing anything:
a SQLite file opened `mode=ro` (a missing file is fine: it is created at the first start), or
the PostgreSQL server of DATABASE_URL on a READ ONLY connection of its own. The server is named
`user@host:port/database`, never with the password (nor as the whole URL: that is a registered
secret, which the redactor would mask to *** entirely).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

from bot.money import format_amount
from bot.ops.checks import Check
from bot.storage import ops as store
from bot.storage.db import is_postgres, migration_files, sqlite_path

AREA = "database"


def where(target: str | Path) -> str:
    """The database for a report line: the SQLite file, or `PostgreSQL user@host:port/database`."""
    if not is_postgres(target):
        return str(sqlite_path(target))
    try:
        parts = urlsplit(str(target))
        host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # an unreadable port: the connection names the problem
        return "PostgreSQL (DATABASE_URL)"
    user = f"{parts.username}@" if parts.username else ""
    return f"PostgreSQL {user}{host}{port}{parts.path}"


def check_database_file(path: Path, variable: str = "DATABASE_PATH") -> list[Check]:
    """Opens read-only, migrations current, ledger balances (blocking: run it in a thread)."""
    if not path.exists():
        return [Check(AREA, True, f"{path} does not exist yet: it is created at the first start")]
    try:
        conn = store.read_only(path)
        try:
            version = store.schema_version(conn)
            summary = store.ledger_summary(conn) if version else None
        finally:
            conn.close()
    except Exception as exc:  # sqlite3.Error, or a folder where the file should be
        return [Check(AREA, False, f"{path} does not open ({exc})", f"check {variable} and the file's permissions")]
    return _version_checks(str(path), version, summary, variable)


async def check_database(target: str | Path, variable: str = "DATABASE_PATH") -> list[Check]:
    """The database the bot would open (`StorageSettings.database`): SQLite file or PostgreSQL URL.

    `variable` names the setting to fix (DATABASE_URL when it is set).
    """
    if is_postgres(target):
        return await check_postgres(str(target))
    path = sqlite_path(target)
    checks = await asyncio.to_thread(check_database_file, path, variable)
    if not all(c.ok for c in checks) or "does not exist yet" in checks[0].text:
        return checks
    return [*checks, *_wallet_checks(await store.balance_mismatches(path))]


async def check_postgres(url: str) -> list[Check]:
    """Reachable, schema vs the newest migration, ledger summary, balances == ledger; nothing written."""
    server = where(url)
    try:
        look = await store.look_postgres(url)
    except store.Unreachable as exc:
        return [Check(AREA, False, f"{server} cannot be used: {exc}",
                      "check DATABASE_URL (host, port, user, password, database) and that the server runs "
                      "and accepts connections from this machine")]
    except Exception as exc:  # the server answered, but reading failed (permissions on the schema...)
        return [Check(AREA, False, f"{server} cannot be read ({type(exc).__name__}: {exc})",
                      "check that DATABASE_URL's user may read the bot's schema")]
    if look.version == 0:
        return [Check(AREA, True, f"{server} has no tables yet: they are created at the first start")]
    return [*_version_checks(server, look.version, look.summary, "DATABASE_URL"), *_wallet_checks(look.mismatches)]


def _version_checks(where: str, version: int, summary: store.LedgerSummary | None, variable: str) -> list[Check]:
    newest = migration_files()[-1][0]
    if version > newest:
        return [Check(AREA, False, f"{where} is schema {version}, this bot knows up to {newest}",
                      f"upgrade the bot, or use another {variable}")]
    state = "migrations current" if version == newest else \
        f"schema {version} of {newest}: the missing migrations are applied at the next start"
    checks = [Check(AREA, True, f"{where}: {state}")]
    if summary is not None:
        checks.append(ledger_check(summary))
    return checks


def _wallet_checks(mismatches: list | None) -> list[Check]:
    """Every balances row equals the sum of its ledger (None: no balances table yet, nothing to say)."""
    if mismatches:
        users = ", ".join(str(m.user_id) for m in mismatches[:5])
        return [Check("balances", False, f"{len(mismatches)} wallet(s) whose balance is not the sum of their "
                      f"ledger (users {users})", "stop the bot and report it before crediting anyone: the "
                      "ledger is the truth")]
    if mismatches is not None:
        return [Check("balances", True, "every wallet equals the sum of its ledger")]
    return []


def ledger_check(ledger: store.LedgerSummary) -> Check:
    if ledger.negative:
        return Check("ledger", False, f"{ledger.negative} customer(s) with a negative balance",
                     "look them up with /user and correct with /credit")
    return Check("ledger", True, f"{ledger.entries} entries, {ledger.customers} customer(s), balances sum to "
                 f"{format_amount(ledger.total)}")
