"""/user, /ban and /unban: a customer's profile, and the flag that shuts the shop for them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import admin_users
from bot.domain.admin_users import UserProfile
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.render.admin_views import ban_text, profile_text
from bot.telegram.hooks import hooks

UserSection = Callable[[AdminRequest, UserProfile], Awaitable[list[str]]]


def user_sections(application: Application[Any, Any, Any, Any, Any, Any]) -> list[UserSection]:
    """This application's extra /user sections, in the order features appended them in register().

    Each is async (req, profile) -> HTML lines (escaped, in req.tr).
    """
    return hooks(application, "admin.user_sections")


async def show_user(req: AdminRequest) -> str:
    """/user <telegram id | @username>: profile, language, balance, latest orders, flags."""
    if len(req.args) != 1:
        raise Usage
    found = await admin_users.profile(req.rt.db, req.args[0])
    extra = [line for section in user_sections(req.context.application) for line in await section(req, found)]
    return profile_text(req.tr, found, req.currency, extra)


async def _set_banned(req: AdminRequest, banned: bool) -> str:
    if len(req.args) != 1:
        raise Usage
    user, changed = await admin_users.set_banned(req.rt.db, req.args[0], banned)
    return ban_text(req.tr, user, banned, changed)


async def ban(req: AdminRequest) -> str:
    """/ban <user>: the customer gets one polite line and nothing else from now on."""
    return await _set_banned(req, True)


async def unban(req: AdminRequest) -> str:
    """/unban <user>."""
    return await _set_banned(req, False)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "user", show_user, usage=N_("admin.usage_user"))
    admin_command(application, "ban", ban, usage=N_("admin.usage_ban"))
    admin_command(application, "unban", unban, usage=N_("admin.usage_unban"))
