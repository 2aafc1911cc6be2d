"""The page's own words (locales/*/webapp.po), sent once per open in the customer's language."""

from __future__ import annotations

from bot.i18n import N_, Translator

UI_TEXTS = [
    N_("webapp.title"), N_("webapp.tab_shop"), N_("webapp.tab_orders"), N_("webapp.tab_balance"),
    N_("webapp.search"), N_("webapp.all_platforms"), N_("webapp.all_categories"),
    N_("webapp.price_from"), N_("webapp.price_to"), N_("webapp.only_refill"), N_("webapp.only_cancel"),
    N_("webapp.found"), N_("webapp.nothing_found"), N_("webapp.per_1000"), N_("webapp.per_package"),
    N_("webapp.limits"), N_("webapp.refill"), N_("webapp.cancel_allowed"), N_("webapp.description"),
    N_("webapp.order_button"), N_("webapp.back"), N_("webapp.optional"), N_("webapp.total"),
    N_("webapp.balance_after"), N_("webapp.short"), N_("webapp.confirm"), N_("webapp.placing"),
    N_("webapp.price_changed"), N_("webapp.orders_empty"), N_("webapp.refresh"), N_("webapp.refill_button"),
    N_("webapp.cancel_button"), N_("webapp.cancel_sure"), N_("webapp.your_balance"),
    N_("webapp.topup_methods"), N_("webapp.topup_in_chat"), N_("webapp.topup_sent"), N_("webapp.history"),
    N_("webapp.err_network"), N_("webapp.loading"), N_("webapp.order_number"), N_("webapp.more"),
]


def ui_texts(translator: Translator, lang: str) -> dict[str, str]:
    """Short id -> unformatted text of every id the page uses (the page fills {placeholders})."""
    return {msgid.removeprefix("webapp."): translator.template(lang, msgid) for msgid in UI_TEXTS}
