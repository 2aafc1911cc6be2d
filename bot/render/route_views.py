"""Texts and buttons of routes in the admin group (locales/*/routes.po, the shop's default language).

Button data: `adm:rs_ok:<key>` accepts the suggestion with that key (bot/domain/routing_admin.py).
Panel names and service names are the operator's and the panels' words: escaped here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.domain.routing_admin import RouteRefused, Suggestion
from bot.render.admin_reports import BUTTONS
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button
from bot.render.text import esc
from bot.storage.route_health import Event
from bot.storage.routes import Attempt, Route

Tr = Callable[..., str]
ACCEPT_ACTION = "rs_ok"
MAX_LISTED = 40


def _settings(tr: Tr, policy: str, allow_loss: bool) -> str:
    return tr("routes.policy_" + policy) + (tr("routes.loss_allowed") if allow_loss else "")


def _members(route: Route, cooled: Mapping[str, datetime] | None = None) -> str:
    cooled = cooled or {}
    return " → ".join(esc(str(m), 64) + (" 🧊" + cooled[m.panel].strftime("%H:%M") if m.panel in cooled else "")
                      for m in route.members)


def saved_text(tr: Tr, route: Route) -> str:
    return tr("routes.saved", name=esc(route.name), settings=_settings(tr, route.policy, route.allow_loss),
              members=_members(route))


def list_text(tr: Tr, found: Sequence[Route], cooled: Mapping[str, datetime]) -> str:
    """/route list; a provider cooling off is marked 🧊 with the time (UTC) routing asks it again."""
    if not found:
        return tr("routes.list_empty")
    lines = [tr("routes.list_title", count=len(found))]
    lines += [tr("routes.list_line", name=esc(r.name), settings=_settings(tr, r.policy, r.allow_loss),
                 members=_members(r, cooled)) for r in found[:MAX_LISTED]]
    if any(m.panel in cooled for r in found for m in r.members):
        lines.append(tr("routes.list_cooled"))
    return "\n".join(lines)


def off_text(tr: Tr, name: str, removed: bool) -> str:
    return tr("routes.off_done" if removed else "routes.off_missing", name=esc(name, 32))


def refused_text(tr: Tr, exc: RouteRefused) -> str:
    return tr(f"routes.err_{exc.reason}", detail=esc(exc.detail, 200))


def suggest_screen(tr: Tr, found: Sequence[Suggestion]) -> tuple[str, InlineKeyboardMarkup | None]:
    """The suggestions with one Accept button each."""
    if not found:
        return tr("routes.suggest_none"), None
    lines = [tr("routes.suggest_title", count=len(found))]
    for number, suggestion in enumerate(found, 1):
        members = "; ".join(tr("routes.suggest_member", member=esc(f"{o.panel}:{o.service_id}", 64),
                               service=esc(o.name, 60), min=o.min, max=o.max) for o in suggestion.offers)
        lines.append(tr("routes.suggest_line", number=number, name=esc(suggestion.name), members=members))
    keyboard = build_keyboard([[button(tr("routes.accept_button", number=n, name=s.name),
                                       pack(BUTTONS, ACCEPT_ACTION, s.key))] for n, s in enumerate(found, 1)])
    return "\n".join(lines), keyboard


def accepted_text(tr: Tr, route: Route) -> str:
    return tr("routes.accepted", name=esc(route.name), members=_members(route))


def event_text(tr: Tr, event: Event, cool_minutes: int) -> str:
    """A failover or cool-off alert for the admin group."""
    if event.kind == "cooled":
        return tr("routes.alert_cooled", panel=esc(event.panel, 32), reason=esc(event.reason or "", 200),
                  minutes=cool_minutes)
    return tr("routes.alert_failover", panel=esc(event.panel, 32), order_id=event.order_id or 0,
              reason=esc(event.reason or "", 200))


def attempts_lines(tr: Tr, found: Sequence[Attempt]) -> list[str]:
    """/order: which providers a routed order went through, in order."""
    if not found:
        return []
    return [tr("routes.order_title")] + [
        tr("routes.order_attempt", number=a.seq + 1, member=esc(f"{a.panel}:{a.service_id}", 64),
           outcome=tr("routes.outcome_" + a.outcome), reason=esc(a.reason or "", 160))
        for a in found
    ]
