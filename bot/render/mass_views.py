"""Screens of the mass order: the prompt, the preview (each line ok or why not), progress and summary."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.mass_order import MAX_LINES, Preview
from bot.domain.order_results import InsufficientFunds, Placed, PlaceResult, PriceChanged, Refused, Unknown
from bot.i18n import N_
from bot.money import format_money
from bot.render.keyboards import build_keyboard, button
from bot.render.order_views import Tag, Tr, data
from bot.render.screen import Screen
from bot.render.text import esc

MASS_COMMAND = "mass"
PROBLEMS = {"format": N_("mass.bad_format"), "quantity": N_("mass.bad_quantity"),
            "unknown_service": N_("mass.unknown_service"), "not_simple": N_("mass.not_simple"),
            "bounds": N_("mass.bad_bounds"), "bad_link": N_("mass.bad_link")}
SHOWN_LINES = 40  # a preview longer than this shows the first lines and a count (Telegram's 4096 chars)


def prompt_screen(tr: Tr, tag: Tag, problem: str | None = None) -> Screen:
    """Ask for the list."""
    text = tr("mass.prompt", max=MAX_LINES)
    rows = [[button(tr("common.button_back"), data(tag, "back")), button(tr("common.button_cancel"), data(tag, "cancel"))]]
    return Screen(f"{problem}\n\n{text}" if problem else text, build_keyboard(rows))


def preview_screen(tr: Tr, preview: Preview, currency: str, tag: Tag) -> Screen:
    """Each line ok (service, quantity, price) or what is wrong; total and balance after; Confirm."""
    lines = [tr("mass.preview_title")]
    for line in preview.lines[:SHOWN_LINES]:
        if line.offer is not None:
            lines.append(tr("mass.line_ok", n=line.number, name=esc(line.offer.service.name, 60),
                            quantity=line.offer.quote.units, price=format_money(line.offer.quote.price, currency)))
        else:
            lines.append(tr("mass.line_bad", n=line.number, text=esc(line.text, 60),
                            reason=tr(PROBLEMS.get(line.problem or "format", PROBLEMS["format"]))))
    if len(preview.lines) > SHOWN_LINES:
        lines.append(tr("mass.more_lines", count=len(preview.lines) - SHOWN_LINES))
    lines += ["", tr("mass.totals", valid=len(preview.valid), total=format_money(preview.total, currency),
                     balance=format_money(preview.balance, currency),
                     after=format_money(preview.balance_after, currency))]
    rows = []
    if preview.valid and preview.balance_after >= 0:
        rows.append([button(tr("mass.button_confirm", count=len(preview.valid)), data(tag, "massgo"))])
    elif preview.valid:
        lines.append(tr("mass.not_enough"))
    rows.append([button(tr("mass.button_edit"), data(tag, "back")), button(tr("common.button_cancel"), data(tag, "cancel"))])
    return Screen("\n".join(lines), build_keyboard(rows))


def progress_text(tr: Tr, done: int, total: int) -> str:
    return tr("mass.progress", done=done, total=total)


def summary_text(tr: Tr, results: Sequence[tuple[int, PlaceResult]], currency: str) -> str:
    """Placed, refused (and why), unknown: one line each, then the counts."""
    placed = [(n, r) for n, r in results if isinstance(r, Placed)]
    unknown = [n for n, r in results if isinstance(r, Unknown)]
    lines = [tr("mass.summary_title", placed=len(placed), total=len(results))]
    for n, result in results:
        if isinstance(result, Placed):
            lines.append(tr("mass.result_placed", n=n, order=result.order_id,
                            price=format_money(result.price, currency)))
        elif isinstance(result, Unknown):
            lines.append(tr("mass.result_unknown", n=n, order=result.order_id))
        else:
            lines.append(tr("mass.result_refused", n=n, reason=tr(_refusal(result))))
    if unknown:
        lines += ["", tr("order.unknown")]
    return "\n".join(lines)


def _refusal(result: PlaceResult) -> str:
    if isinstance(result, InsufficientFunds):
        return N_("mass.refused_funds")
    if isinstance(result, PriceChanged):
        return N_("mass.refused_price")
    if isinstance(result, Refused) and result.unavailable:
        return N_("mass.refused_unavailable")
    return N_("mass.refused_panel")
