"""Order-flow screens render in every language, escape panel text, and carry the flow's tag."""

import html
import itertools
import re
from datetime import date

import pytest

from bot.domain.order_input import FIELDS, FieldContext, InputError, prompt_params
from bot.i18n import Translator
from bot.panel.errors import RefusalKind
from bot.render.callbacks import unpack
from bot.render.order_views import (
    ENTRY_CALLBACK,
    ServiceCard,
    Tag,
    card_screen,
    categories_screen,
    category_title,
    platforms_screen,
    services_screen,
)
from bot.render.order_views_input import (
    ERRORS,
    REASONS,
    confirm_screen,
    error_text,
    field_screen,
    placed_text,
    refused_text,
)

TAG = Tag("n0nce123", 7)
LANGS = ["en", "ru"]


@pytest.fixture(scope="module")
def i18n():
    return Translator.load()


def buttons(screen):
    return [b for row in screen.markup.inline_keyboard for b in row]


def assert_rendered(text):
    assert "{" not in text and "order." not in text, text


def test_entry_callback_is_a_flow_button():
    assert unpack(ENTRY_CALLBACK).feature == "ord"


@pytest.mark.parametrize("lang", LANGS)
def test_card_escapes_panel_text(i18n, lang):
    card = ServiceCard(name="<b>Likes</b> & _fast_ *now*", price_minor=1_234_560, per_package=False, min=10,
                       max=5000, refill=True, cancel=False, dripfeed=True,
                       description="Start <1h & 100% <script>", currency="USD")
    screen = card_screen(i18n.bind(lang), card, TAG)
    assert "&lt;b&gt;Likes&lt;/b&gt; &amp; _fast_ *now*" in screen.text
    assert "<script>" not in screen.text and "Start &lt;1h &amp; 100% &lt;script&gt;" in screen.text
    assert "1.23 USD" in screen.text and "5000" in screen.text
    assert_rendered(screen.text)
    for b in buttons(screen):
        cb = unpack(b.callback_data)
        assert cb.args[:2] == ("n0nce123", "7")


# the card's flags line, written out here (not read from the catalogue) so a wrong word or a swap shows
FLAGS_LINE = {
    "en": ("♻️ Refill: {} · ✖️ Cancel: {} · 💧 Drip-feed: {}", {True: "yes", False: "no"}),
    "ru": ("♻️ Докрутка: {} · ✖️ Отмена: {} · 💧 Постепенно: {}", {True: "да", False: "нет"}),
}


@pytest.mark.parametrize("lang", LANGS)
def test_card_shows_each_refill_cancel_and_dripfeed_flag(i18n, lang):
    line, words = FLAGS_LINE[lang]
    for refill, cancel, dripfeed in itertools.product((True, False), repeat=3):
        card = ServiceCard(name="Likes", price_minor=1_000_000, per_package=False, min=10, max=5000,
                           refill=refill, cancel=cancel, dripfeed=dripfeed, description=None, currency="USD")
        text = card_screen(i18n.bind(lang), card, TAG).text
        expected = line.format(words[refill], words[cancel], words[dripfeed])
        assert expected in text.split("\n"), (refill, cancel, dripfeed, text)


def test_long_description_is_cut_before_escaping(i18n):
    card = ServiceCard(name="x" * 5000, price_minor=1, per_package=True, min=1, max=1, refill=False,
                       cancel=False, dripfeed=False, description="&" * 10_000, currency="USD")
    text = card_screen(i18n.bind("en"), card, TAG).text
    visible = html.unescape(re.sub(r"<[^>]+>", "", text))  # Telegram counts 4096 after parsing entities
    assert len(visible) < 4096
    assert text.endswith("&amp;…")


@pytest.mark.parametrize("lang", LANGS)
def test_lists_render(i18n, lang):
    tr = i18n.bind(lang)
    screen = platforms_screen(tr, [("instagram", "Instagram"), ("tiktok", "TikTok"), ("other", "Other")], TAG)
    labels = [b.text for b in buttons(screen)]
    assert "TikTok" in labels and ("Other" in labels or "Другое" in labels)
    cats = categories_screen(tr, "Instagram", [(i, f"Cat <{i}>") for i in range(10)], 1, 3, TAG)
    assert "Instagram" in cats.text and len(buttons(cats)) == 10 + 3 + 3
    svcs = services_screen(tr, category_title(tr, "A&B"), [("Likes", 900), ("Views", 1_500_000)], "USD", 0, 1, TAG)
    assert "A&amp;B" in svcs.text
    assert [unpack(b.callback_data).args[2] for b in buttons(svcs)[:2]] == ["0", "1"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_field_prompt_and_error_renders(i18n, lang):
    tr = i18n.bind(lang)
    ctx = FieldContext(min=10, max=1000, answers={"min": 20}, today=date(2030, 1, 1), allowed_delays=(0, 5))
    for field in FIELDS:
        screen = field_screen(tr, field, prompt_params(field, ctx), TAG, optional=True, delays=(0, 5, 10))
        assert_rendered(screen.text)
    for code in ERRORS:
        assert_rendered(error_text(tr, InputError(code, limit=1, low=1, high=2, count=3, line=4, total=5,
                                                  allowed="0, 5")))
    for kind in REASONS:
        assert_rendered(refused_text(tr, kind))
    assert tr("order.reason_bad_link") in refused_text(tr, RefusalKind.BAD_LINK)
    for bound, msgid in (("min", "order.reason_quantity_min"), ("max", "order.reason_quantity_max"),
                         (None, "order.reason_quantity"), ("sideways", "order.reason_quantity")):
        assert tr(msgid) in refused_text(tr, RefusalKind.QUANTITY, bound)
    assert tr("order.reason_bad_link") in refused_text(tr, RefusalKind.BAD_LINK, "min")  # a bound is for quantities


def test_delay_buttons(i18n):
    screen = field_screen(i18n.bind("en"), "delay", {}, TAG, delays=(0, 5, 10, 15, 30, 60))
    picks = [unpack(b.callback_data) for b in buttons(screen) if unpack(b.callback_data).action == "pick"]
    assert [p.args[2] for p in picks] == ["0", "5", "10", "15", "30", "60"]


@pytest.mark.parametrize("lang", LANGS)
def test_confirmation_card(i18n, lang):
    tr = i18n.bind(lang)
    answers = {"link": "https://x.com/<p>", "quantity": 100, "comments": ["a", "b"], "expiry": "2031-02-03"}
    screen = confirm_screen(tr, service_name="S&P", answers=answers, total_minor=2_500_000,
                            balance_minor=10_000_000, currency="USD", tag=TAG)
    assert "https://x.com/&lt;p&gt;" in screen.text and "S&amp;P" in screen.text
    assert "2.50 USD" in screen.text and "7.50 USD" in screen.text and "03/02/2031" in screen.text
    assert_rendered(screen.text)
    short = confirm_screen(tr, service_name="S", answers={}, total_minor=3_000_000, balance_minor=1_000_000,
                           currency="USD", tag=TAG)
    assert "2.00 USD" in short.text and "/balance" in short.text
    assert "#42" in placed_text(tr, "42", 1, 2, "USD")
