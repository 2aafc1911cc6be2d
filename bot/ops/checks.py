"""The operator's checks, shared by `python -m bot check` (bot/ops/cli.py) and `/setup` in the admin group.

In this order, one line each, ✓ or ✗ with what to do: the settings; the token (getMe); the admin
group and its admins; every panel (key, balance, services, order types, what the catalogue will
show); the database (checks_database.py); each payment method (checks_payments.py); the webhook.
Nothing here changes anything: getMe/getChat/getChatMember/getWebhookInfo only read, the panels
are asked for `balance` and `services`, the database is opened read-only.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from telegram import Bot, User
from telegram.constants import ChatMemberStatus
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError

from bot.config import Settings
from bot.domain.platforms import detect_platform
from bot.panel.client import PanelClient
from bot.panel.errors import PanelError, PanelRefused, RefusalKind
from bot.panel.models import OrderType, Service
from bot.panel.proxies import RequestStyle
from bot.panel.transport import Route
from bot.panel.type_names import SHOWN_WORD_CHARS, types_entry

OK, FAIL = "✓", "✗"


@dataclass(frozen=True)
class Check:
    """One line of the report. `needed`: a failure makes `check` exit 1 (else it is advice).

    `detail`: advice printed under the line, indented, one line each (also under a ✓).
    """

    area: str
    ok: bool
    text: str
    fix: str = ""
    needed: bool = True
    detail: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        line = f"{OK if self.ok else FAIL} {self.area}: {self.text}"
        if not self.ok and self.fix:
            line += f" → {self.fix}"
        if not self.ok and not self.needed:
            line += " (optional)"
        return "".join([line, *(f"\n    {advice}" for advice in self.detail)])


def passed(checks: list[Check]) -> bool:
    """Whether every needed check passed."""
    return all(c.ok or not c.needed for c in checks)


# --- Telegram ---------------------------------------------------------------------------------

async def check_token(bot: Bot) -> tuple[Check, User | None]:
    """getMe: the bot's @username."""
    try:
        me = await bot.get_me()
    except InvalidToken:
        return Check("token", False, "Telegram refused BOT_TOKEN (401 Unauthorized)",
                     "copy the token again from @BotFather (/mybots → your bot → API Token)"), None
    except NetworkError as exc:
        return Check("token", False, f"Telegram cannot be reached ({exc.message})",
                     "check the network, a proxy, or TELEGRAM_API_URL"), None
    return Check("token", True, f"@{me.username} (id {me.id})"), me


async def check_admin_group(bot: Bot, me: User, settings: Settings) -> list[Check]:
    """The bot is in ADMIN_CHAT_ID and can post there (admin rights where features need them); ADMIN_IDS are members."""
    chat_id, admins = settings.admin.admin_chat_id, settings.admin.admin_ids
    if chat_id is None:
        return [Check("admin group", False, "ADMIN_CHAT_ID is not set: no alerts, no admin commands",
                      f"add @{me.username} to a private group, send /id there and put the chat id in ADMIN_CHAT_ID",
                      needed=False)]
    not_in = f"add @{me.username} to the group, or send /id in the right group and fix ADMIN_CHAT_ID"
    try:
        chat = await bot.get_chat(chat_id)
        member = await bot.get_chat_member(chat_id, me.id)
    except (Forbidden, TelegramError) as exc:
        return [Check("admin group", False, f"the bot is not in the group {chat_id} ({exc.message})", not_in)]
    title = f"«{chat.title or chat_id}»"
    if member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        return [Check("admin group", False, f"the bot is not a member of {title}", not_in)]
    members_muted = member.status == ChatMemberStatus.MEMBER and chat.permissions is not None \
        and chat.permissions.can_send_messages is False
    if members_muted or (member.status == ChatMemberStatus.RESTRICTED
                         and not getattr(member, "can_send_messages", True)):
        return [Check("admin group", False, f"the bot may not post in {title}",
                      "allow the bot to send messages (group settings → permissions)")]
    checks = []
    if member.status == ChatMemberStatus.ADMINISTRATOR:
        missing = [what for what, right in (("pin messages", "can_pin_messages"), ("manage topics", "can_manage_topics"))
                   if (right != "can_manage_topics" or chat.is_forum) and not getattr(member, right, False)]
        if missing:
            checks.append(Check("admin group", False, f"the bot is an admin of {title} but may not {', '.join(missing)}",
                                "give the bot these admin rights", needed=bool(chat.is_forum and
                                                                              "manage topics" in missing)))
        else:
            checks.append(Check("admin group", True, f"{title}: the bot is an admin"))
    else:
        checks.append(Check("admin group", True, f"{title}: the bot is a member (not an admin: it cannot pin or "
                                                  "manage topics)"))
    checks.append(await _check_admins(bot, chat_id, admins))
    return checks


async def _check_admins(bot: Bot, chat_id: int, admins: frozenset[int]) -> Check:
    if not admins:
        return Check("ADMIN_IDS", False, "nobody may use the admin commands",
                     "send /id in the admin group and put your user id in ADMIN_IDS", needed=False)
    absent = []
    for user_id in sorted(admins):
        try:
            member = await bot.get_chat_member(chat_id, user_id)
            if member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
                absent.append(user_id)
        except TelegramError:
            absent.append(user_id)
    if absent:
        return Check("ADMIN_IDS", False, f"not in the admin group: {', '.join(map(str, absent))}",
                     "add them to the group, or remove them from ADMIN_IDS")
    return Check("ADMIN_IDS", True, f"{len(admins)} admin(s), all in the group")


async def check_webhook(bot: Bot, settings: Settings) -> Check:
    """getWebhookInfo: Telegram's own view of the webhook's last delivery."""
    url = settings.telegram.webhook_url
    try:
        info = await bot.get_webhook_info()
    except TelegramError as exc:
        return Check("webhook", False, f"getWebhookInfo failed ({exc.message})", "try again later")
    if not url:
        extra = f" (the webhook {info.url} is removed at start)" if info.url else ""
        return Check("webhook", True, f"not used: the bot long-polls{extra}")
    if info.url != url:
        return Check("webhook", True, f"{url} is set at the next start")
    if info.last_error_message:
        return Check("webhook", False, f"Telegram cannot deliver to {url}: {info.last_error_message} "
                     f"({info.pending_update_count} update(s) waiting)",
                     "check that the URL is reachable from the internet, its TLS certificate, and the proxy "
                     f"forwarding to port {settings.telegram.webhook_port}")
    return Check("webhook", True, f"{url}, {info.pending_update_count} update(s) waiting")


# --- panels -----------------------------------------------------------------------------------

def _amount(value: Decimal) -> str:
    """1000.00000 → 1000.00, 0.123456 → 0.123456."""
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


STYLE_WORDS = {RequestStyle.POST: "form POST", RequestStyle.GET: "GET query", RequestStyle.JSON: "JSON body"}


def describe_route(route: Route, *, shorthand: bool = False) -> tuple[str, tuple[str, ...]]:
    """How the bot talks to a panel (after the check's requests): a short phrase, and advice lines.

    A style the transport switched to after a 405/415, and a redirect it follows, cost one extra
    request each time the bot starts: the advice names the exact setting that skips it.
    `shorthand`: the panel is PANEL_URL's "main", which has no "method" of its own.
    """
    words = f"sends {STYLE_WORDS[route.style]}"
    advice = []
    if route.detected:
        words += " (detected)"
        where = "in a PANELS entry instead of PANEL_URL/PANEL_KEY" if shorthand else "for this panel in PANELS"
        advice.append(f"the panel refused {STYLE_WORDS[route.configured_style]}: set \"method\": "
                      f"\"{route.style.value}\" {where} to skip the detection")
    if route.aliases:
        words += ", fields " + ", ".join(f"{ours}→{theirs}" for ours, theirs in sorted(route.aliases.items()))
    if route.redirected:
        words += " via a redirect"
        where = "PANEL_URL" if shorthand else "this panel's \"url\" in PANELS"
        advice.append(f"the API address redirects to {route.url}: put that URL in {where} to skip the redirect")
    return words, tuple(advice)


async def check_panel(client: PanelClient, *, demo: bool = False, shorthand: bool = False) -> Check:
    """Reachable, key accepted, balance, services and order types, what the catalogue will show; how it is asked."""
    area = f"panel {client.name}"
    try:
        balance, services = await asyncio.gather(client.balance(), client.services())
    except PanelRefused as exc:
        route, advice = describe_route(client.transport.route, shorthand=shorthand)
        if exc.kind == RefusalKind.INVALID_KEY:
            return Check(area, False, f"the panel refused the key ({exc.message}); {route}",
                         "copy the API key from the panel's API page into PANEL_KEY (or PANELS)", detail=advice)
        return Check(area, False, f"the panel refused the request ({exc.message}); {route}",
                     "check PANEL_URL and PANEL_KEY", detail=advice)
    except PanelError as exc:
        return Check(area, False, f"cannot be reached ({exc.message})",
                     "check PANEL_URL: the panel's API v2 address, e.g. https://panel.example/api/v2")
    route, advice = describe_route(client.transport.route, shorthand=shorthand)
    money = f"balance {_amount(balance.amount)} {balance.currency or ''}".rstrip()
    if not services:
        return Check(area, False, f"{money}; the panel lists no services; {route}",
                     "ask the panel why its catalogue is empty (maintenance?)", detail=advice)
    unknown = [s for s in services if s.type is OrderType.UNSUPPORTED]
    shown = [s for s in services if s.type is not OrderType.UNSUPPORTED]
    types = Counter(s.type.value for s in shown)
    platforms = {detect_platform(s.category) for s in shown}
    categories = {s.category for s in shown}
    demo_note = " — the built-in DEMO panel, no real orders" if demo else ""
    return Check(area, True, f"{money}; {len(services)} services of "
                 f"{len(types)} order types; the catalogue shows {len(platforms)} platforms, "
                 f"{len(categories)} categories; {route}{demo_note}",
                 detail=advice + _unknown_types(unknown))


def _unknown_types(services: list[Service]) -> tuple[str, ...]:
    """Advice for services of type words the bot does not know: hidden from customers until mapped."""
    if not services:
        return ()
    words = Counter(s.type_raw for s in services)
    listed = ", ".join(f"“{word[:SHOWN_WORD_CHARS]}” ({count})" for word, count in words.most_common(5))
    return (f"{len(services)} service(s) of types the bot does not know stay hidden from customers: {listed}; "
            f"if one orders like a known type, map it in the panel's PANELS entry: "
            f"{types_entry(words.most_common(1)[0][0])}",)
