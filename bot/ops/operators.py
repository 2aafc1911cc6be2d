"""The operator tools as a FEATURES module: /setup and /id, start-up diagnostics, the first catalogue,
the bot's profile, daily backups, and the /stats lines of backups and the demo panel.

/id answers in any group (the admin group too), for anyone: the chat's id and the sender's id,
which is what ADMIN_CHAT_ID and ADMIN_IDS need. It sits, with the first-catalogue waiter, in a
handler group of its own before the gate and the admin sink.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, CommandHandler, filters

from bot.config import Settings
from bot.domain.stats import Period
from bot.handlers.admin.guard import ADMIN_GROUP, AdminRequest, Usage, admin_command
from bot.handlers.admin.stats import stats_sections
from bot.handlers.start import group_commands
from bot.i18n import N_
from bot.ops import backup, catalogue_load, profile, watch
from bot.ops.checks import passed
from bot.ops.report import collect
from bot.render.text import esc
from bot.runtime import app_runtime, runtime

log = logging.getLogger(__name__)

# /id and the first-catalogue waiter share the admin handlers' group: after the gate (-4, which stops the
# banned), before the admin chat's sink (-2, so /id answers there too); none of them matches another's updates
OPS_GROUP = ADMIN_GROUP
BACKUP_JOB = "ops_daily_backup"
COMMANDS: list[tuple[str, str]] = []
ADMIN_COMMANDS = [("setup", N_("ops.cmd_setup"))]


async def on_id(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """/id in a group: the chat id and the sender's user id."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    rt = runtime(context)
    text = rt.i18n.t(rt.default_language, "ops.id_answer", chat_id=message.chat_id, user_id=user.id)
    await message.reply_text(text)


async def show_setup(req: AdminRequest) -> str:
    """/setup: every check of `python -m bot check`, with what to do about each ✗."""
    if req.args:
        raise Usage
    app = req.context.application
    checks = await collect(req.rt.settings, app.bot, req.rt.panels)
    lines = [req.tr("ops.setup_title")]
    if req.rt.settings.panels.demo:
        lines.append(req.tr("ops.demo_banner"))
    lines.extend(esc(c.line, 600) for c in checks)
    lines.append(req.tr("ops.setup_ok") if passed(checks) else req.tr("ops.setup_fix"))
    return "\n".join(lines)


async def stats_lines(req: AdminRequest, period: Period) -> list[str]:
    """/stats: the demo banner, and the newest automatic backup."""
    settings = req.rt.settings
    found = []
    if settings.panels.demo:
        found.append(req.tr("ops.demo_banner"))
    folder = settings.ops.backup_dir
    if folder is not None:
        info = backup.backup_info(folder)
        if info.taken_at is None:
            found.append(req.tr("ops.stats_backup_none", folder=esc(folder)))
        else:
            found.append(req.tr("ops.stats_backup", when=info.taken_at.strftime("%Y-%m-%d %H:%M"), count=info.count,
                                keep=settings.ops.backup_keep, size=f"{info.size / 1_048_576:.1f}"))
    return found


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "setup", show_setup, usage=N_("ops.usage_setup"), block=False)
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & ~filters.FORWARDED
    application.add_handler(CommandHandler("id", on_id, filters=groups), group=OPS_GROUP)
    group_commands(application).append("id")  # the gate lets /id through in groups
    catalogue_load.add_waiter(application, OPS_GROUP)
    stats_sections(application).append(stats_lines)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Before updates are taken: the admin group, the demo banner, the panels (a few seconds at most), the
    profile; then the first catalogue in the background, and the daily backups."""
    await watch.check_admin_chat(application)
    await watch.demo_banner(application)
    failing = await watch.probe_panels(application)
    await profile.publish_profile(application)
    await catalogue_load.schedule_first_load(application, skip=failing)
    catalogue_load.schedule_empty_watch(application)
    schedule_backups(application)


def schedule_backups(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The daily backup: due a day after the newest one (at once when there is none)."""
    settings = app_runtime(application).settings
    folder = settings.ops.backup_dir
    if folder is None or application.job_queue is None:
        return
    if settings.storage.is_postgres:  # SQLite copies only; PostgreSQL is backed up with pg_dump (README)
        log.warning("BACKUP_DIR is ignored with DATABASE_URL=postgresql://: back up with pg_dump")
        return
    first = backup.seconds_until_due(folder, datetime.now(UTC))
    application.job_queue.run_repeating(backup_job, interval=backup.DAY_SECONDS, first=max(first, 1.0),
                                        name=BACKUP_JOB, job_kwargs={"misfire_grace_time": None})


async def backup_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    settings = app_runtime(context.application).settings
    folder = settings.ops.backup_dir
    assert folder is not None
    try:
        await backup.daily_backup(settings.storage.database_path, folder, settings.ops.backup_keep)
    except Exception:
        log.exception("the daily backup failed")
