"""Balance: the current balance and the last ledger entries, in the shop currency."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot.i18n import N_
from bot.money import format_money
from bot.render.keyboards import build_keyboard, in_columns
from bot.render.menu_views import Screen, Tr, format_day, home_row
from bot.storage.ledger import LedgerEntry, LedgerKind

HISTORY_SHOWN = 10
ORDER_REFERENCE = "order:"

KIND_LABELS: dict[str, str] = {
    LedgerKind.CREDIT: N_("wallet.kind_credit"),
    LedgerKind.ORDER_CHARGE: N_("wallet.kind_order_charge"),
    LedgerKind.REFUND: N_("wallet.kind_refund"),
    LedgerKind.ADMIN_ADJUSTMENT: N_("wallet.kind_admin_adjustment"),
    LedgerKind.TOPUP: N_("wallet.kind_topup"),
    LedgerKind.REFERRAL: N_("wallet.kind_referral"),
    LedgerKind.PROMO: N_("wallet.kind_promo"),
    LedgerKind.TOPUP_BONUS: N_("wallet.kind_topup_bonus"),
}


def signed_money(minor: int, currency: str) -> str:
    """'+0.45 USD' / '−0.90 USD' (a true minus sign, as people read it)."""
    return ("+" if minor > 0 else "−") + format_money(abs(minor), currency)


def entry_line(tr: Tr, entry: LedgerEntry, currency: str, lang: str) -> str:
    """One balance change: date, signed amount, what it was (with its order when there is one)."""
    kind = tr(KIND_LABELS[entry.kind]) if entry.kind in KIND_LABELS else str(entry.kind)
    reference = entry.reference or ""
    order_id = reference[len(ORDER_REFERENCE):] if reference.startswith(ORDER_REFERENCE) else ""
    if order_id.isascii() and order_id.isdigit():
        kind = tr("wallet.entry_of_order", kind=kind, order_id=order_id)
    return tr("wallet.entry", date=format_day(entry.created_at, lang),
              amount=signed_money(entry.amount, currency), kind=kind)


def balance_screen(tr: Tr, balance: int, entries: Sequence[LedgerEntry], *, currency: str, lang: str,
                   extra_buttons: Sequence[InlineKeyboardButton] = ()) -> Screen:
    """The balance, the latest changes (newest first), the other features' buttons, the way back."""
    lines = [tr("wallet.balance", balance=format_money(balance, currency))]
    if entries:
        lines += ["", tr("wallet.history_title")]
        lines += [entry_line(tr, entry, currency, lang) for entry in entries[:HISTORY_SHOWN]]
    else:
        lines += ["", tr("wallet.history_empty")]
    rows = [*in_columns(extra_buttons, 2), home_row(tr)]
    return Screen("\n".join(lines), build_keyboard(rows))
