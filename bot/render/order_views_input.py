"""Screens of the New-order conversation after the service is chosen: field prompts, the
confirmation card, and the outcome of placing the order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton

from bot.domain.order_input import InputError
from bot.i18n import N_
from bot.money import format_money
from bot.panel.errors import RefusalKind
from bot.render.keyboards import build_keyboard, button, in_columns
from bot.render.order_views import Screen, Tag, Tr, data, esc

PROMPTS = {
    "link": N_("order.ask_link"), "quantity": N_("order.ask_quantity"), "runs": N_("order.ask_runs"),
    "interval": N_("order.ask_interval"), "comments": N_("order.ask_comments"),
    "usernames": N_("order.ask_usernames"), "hashtags": N_("order.ask_hashtags"),
    "hashtag": N_("order.ask_hashtag"), "username": N_("order.ask_username"), "media": N_("order.ask_media"),
    "answer_number": N_("order.ask_answer_number"), "groups": N_("order.ask_groups"),
    "min": N_("order.ask_min"), "max": N_("order.ask_max"), "posts": N_("order.ask_posts"),
    "old_posts": N_("order.ask_old_posts"), "delay": N_("order.ask_delay"), "expiry": N_("order.ask_expiry"),
    "keywords": N_("order.ask_keywords"), "country": N_("order.ask_country"), "device": N_("order.ask_device"),
    "type_of_traffic": N_("order.ask_type_of_traffic"), "google_keyword": N_("order.ask_google_keyword"),
    "referring_url": N_("order.ask_referring_url"),
}

LABELS = {
    "link": N_("order.field_link"), "quantity": N_("order.field_quantity"), "runs": N_("order.field_runs"),
    "interval": N_("order.field_interval"), "comments": N_("order.field_comments"),
    "usernames": N_("order.field_usernames"), "hashtags": N_("order.field_hashtags"),
    "hashtag": N_("order.field_hashtag"), "username": N_("order.field_username"),
    "media": N_("order.field_media"), "answer_number": N_("order.field_answer_number"),
    "groups": N_("order.field_groups"), "min": N_("order.field_min"), "max": N_("order.field_max"),
    "posts": N_("order.field_posts"), "old_posts": N_("order.field_old_posts"),
    "delay": N_("order.field_delay"), "expiry": N_("order.field_expiry"), "keywords": N_("order.field_keywords"),
    "country": N_("order.field_country"), "device": N_("order.field_device"),
    "type_of_traffic": N_("order.field_type_of_traffic"), "google_keyword": N_("order.field_google_keyword"),
    "referring_url": N_("order.field_referring_url"),
}

# fields answered with a button per numbered choice (web traffic's codes, bot/panel/order_types.py)
CHOICES = {
    "device": {1: N_("order.device_1"), 2: N_("order.device_2"), 3: N_("order.device_3"),
               4: N_("order.device_4"), 5: N_("order.device_5")},
    "type_of_traffic": {1: N_("order.traffic_1"), 2: N_("order.traffic_2"), 3: N_("order.traffic_3")},
}

ERRORS = {
    "empty": N_("order.err_empty"), "too_long": N_("order.err_too_long"), "not_link": N_("order.err_not_link"),
    "not_username": N_("order.err_not_username"), "not_hashtag": N_("order.err_not_hashtag"),
    "not_number": N_("order.err_not_number"), "out_of_range": N_("order.err_out_of_range"),
    "line_count": N_("order.err_line_count"), "line_too_long": N_("order.err_line_too_long"),
    "bad_line_username": N_("order.err_bad_line_username"),
    "bad_line_hashtag": N_("order.err_bad_line_hashtag"), "dripfeed_total": N_("order.err_dripfeed_total"),
    "delay_not_allowed": N_("order.err_delay_not_allowed"), "not_date": N_("order.err_not_date"),
    "date_not_future": N_("order.err_date_not_future"), "not_text": N_("order.err_not_text"),
    "not_country": N_("order.err_not_country"), "one_line": N_("order.err_one_line"),
}

REASONS = {
    RefusalKind.INVALID_KEY: N_("order.reason_invalid_key"), RefusalKind.PANEL_FUNDS: N_("order.reason_panel_funds"),
    RefusalKind.BAD_LINK: N_("order.reason_bad_link"), RefusalKind.QUANTITY: N_("order.reason_quantity"),
    RefusalKind.SERVICE_GONE: N_("order.reason_service_gone"),
    RefusalKind.ACTIVE_ORDER: N_("order.reason_active_order"),
    RefusalKind.NOT_ELIGIBLE: N_("order.reason_not_eligible"), RefusalKind.NOT_FOUND: N_("order.reason_not_found"),
    RefusalKind.OTHER: N_("order.reason_other"),
}



def error_text(tr: Tr, error: InputError) -> str:
    """The localized reason a typed value was refused."""
    msgid = ERRORS.get(error.code, ERRORS["empty"])
    return tr(msgid, **{key: esc(value) for key, value in error.params.items()})


def field_screen(tr: Tr, field: str, params: Mapping[str, Any], tag: Tag, *, optional: bool = False,
                 delays: Sequence[int] = (), problem: str | None = None, suggest: int | None = None) -> Screen:
    """Ask for one field (after the reason the last answer was refused, if any).

    `suggest`: a value offered as a button (Order again offers the last quantity).
    """
    prompt = tr(PROMPTS[field], **params)
    text = prompt if problem is None else f"{problem}\n\n{prompt}"
    rows: list[list[InlineKeyboardButton]] = []
    if field == "delay":
        rows += in_columns((button(str(value), data(tag, "pick", value)) for value in delays), 5)
    if field in CHOICES:
        rows += [[button(tr(msgid), data(tag, "pick", code))] for code, msgid in CHOICES[field].items()]
    if suggest is not None:
        rows.append([button(tr("order.button_same_quantity", quantity=suggest), data(tag, "pick", suggest))])
    if optional:
        rows.append([button(tr("order.button_skip"), data(tag, "skip"))])
    rows.append([button(tr("common.button_back"), data(tag, "back")),
                 button(tr("common.button_cancel"), data(tag, "cancel"))])
    return Screen(text, build_keyboard(rows))


def shown_value(tr: Tr, field: str, value: Any) -> str:
    """An answer as the confirmation card shows it (escaped)."""
    if isinstance(value, list | tuple):
        return tr("order.lines_count", count=len(value))
    if field in CHOICES and value in CHOICES[field]:
        return esc(tr(CHOICES[field][value]))
    if field == "expiry":
        shown = value if isinstance(value, date) else date.fromisoformat(str(value))
        return shown.strftime("%d/%m/%Y")
    return esc(value)


def confirm_screen(tr: Tr, *, service_name: str, answers: Mapping[str, Any], total_minor: int,
                   balance_minor: int, currency: str, tag: Tag) -> Screen:
    """The confirmation card: service, every answer, total, and the balance after the order."""
    lines = [tr("order.confirm_title"), "", tr("order.confirm_service", name=esc(service_name, 200))]
    for field, value in answers.items():
        if value is not None:
            lines.append(tr("order.confirm_line", label=tr(LABELS[field]), value=shown_value(tr, field, value)))
    lines += ["", tr("order.confirm_total", total=format_money(total_minor, currency))]
    after = balance_minor - total_minor
    if after >= 0:
        lines.append(tr("order.confirm_balance_after", balance=format_money(after, currency)))
    else:
        lines.append(tr("order.confirm_short", balance=format_money(balance_minor, currency),
                        missing=format_money(-after, currency)))
    rows = [[button(tr("order.button_confirm"), data(tag, "confirm"))],
            [button(tr("common.button_back"), data(tag, "back")),
             button(tr("common.button_cancel"), data(tag, "cancel"))]]
    return Screen("\n".join(lines), build_keyboard(rows))


def placed_text(tr: Tr, order_id: object, price_minor: int, balance_minor: int, currency: str) -> str:
    """The order went through."""
    return tr("order.placed", order_id=esc(order_id), price=format_money(price_minor, currency),
              balance=format_money(balance_minor, currency))


def insufficient_text(tr: Tr, price_minor: int, balance_minor: int, currency: str) -> str:
    """Not enough balance, and how to top up."""
    return tr("order.insufficient_funds", price=format_money(price_minor, currency),
              balance=format_money(balance_minor, currency))


def price_changed_text(tr: Tr, confirmed_minor: int, price_minor: int, currency: str) -> str:
    """The price moved between the card and Confirm: nothing was charged, here is the new card."""
    return tr("order.price_changed", old=format_money(confirmed_minor, currency),
              new=format_money(price_minor, currency))


_QUANTITY_BOUNDS = {"min": N_("order.reason_quantity_min"), "max": N_("order.reason_quantity_max")}


def reason_text(tr: Tr, kind: RefusalKind | str | None, bound: str | None = None) -> str:
    """Our localized reason for a kind of panel refusal (an unknown kind reads as OTHER); a quantity
    refusal says which way to change it when the panel said (`bound`: "min" or "max")."""
    if kind == RefusalKind.QUANTITY and bound in _QUANTITY_BOUNDS:
        return tr(_QUANTITY_BOUNDS[bound])
    try:
        return tr(REASONS[RefusalKind(kind)])
    except ValueError:
        return tr(REASONS[RefusalKind.OTHER])


def refused_text(tr: Tr, kind: RefusalKind | str, bound: str | None = None) -> str:
    """The panel said no: our localized reason for its kind, and the money back.

    Never the panel's own words: they can name the supplier and its site; admins get them.
    """
    return "\n".join([tr("order.refused", reason=reason_text(tr, kind, bound)), tr("order.refused_money_back")])
