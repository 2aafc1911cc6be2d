"""Sync texts: every kind in both languages, escaped panel words, refunds, and Telegram's length limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.sync_events import (
    PROGRESS_POSTS,
    PROGRESS_RUNS,
    MissedOrder,
    OrderUpdate,
    RefillUpdate,
    StatusMisses,
    UnknownOrder,
    UnknownOrders,
)
from bot.i18n import Translator
from bot.render.sync_views import MESSAGE_LIMIT, ORDER_TEXTS, admin_texts, customer_texts, order_text, pack
from tests.fakes.telegram_records import check_text

NAME = "Followers <Real> & Co"


@pytest.fixture(scope="module")
def i18n() -> Translator:
    return Translator.load()


def _update(kind: str, **fields) -> OrderUpdate:
    return OrderUpdate(order_id=12, user_id=1, kind=kind, service_name=NAME, refund=fields.pop("refund", 0),
                       status=fields.pop("status", kind), **fields)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("kind", sorted(ORDER_TEXTS) + ["weird_word"])
def test_every_order_kind_renders_valid_html_in_both_languages(i18n, lang, kind) -> None:
    update = _update(kind, refund=250_000, start_count=10, remains=5, runs_done=2, runs_total=5,
                     posts_done=3, posts_total=10, cancel_asked=True)
    text = order_text(i18n.bind(lang), update, "USD")
    plain = check_text(text, "HTML")
    assert "#12" in plain and NAME in plain and "{" not in plain
    assert "0.25 USD" in plain


def test_english_texts_say_what_happened(i18n) -> None:
    tr = i18n.bind("en")
    started = check_text(order_text(tr, _update("in_progress", start_count=1234), "USD"), "HTML")
    assert "started" in started and "1234" in started
    partial = check_text(order_text(tr, _update("partial", refund=500_000, remains=250), "USD"), "HTML")
    assert "250" in partial and "0.50 USD was returned" in partial
    done = check_text(order_text(tr, _update("completed"), "USD"), "HTML")
    assert "completed" in done and "returned" not in done
    canceled = check_text(order_text(tr, _update("canceled", refund=1_000_000, cancel_asked=True), "USD"), "HTML")
    assert "cancel request went through" in canceled and "1.00 USD" in canceled
    late = check_text(order_text(tr, _update("completed", cancel_asked=True), "USD"), "HTML")
    assert "too late" in late
    runs = check_text(order_text(tr, _update(PROGRESS_RUNS, runs_done=2, runs_total=5, status="in_progress"),
                                 "USD"), "HTML")
    assert "2 of 5 runs" in runs
    posts = check_text(order_text(tr, _update(PROGRESS_POSTS, posts_done=3, status="active"), "USD"), "HTML")
    assert "3 posts" in posts


def test_russian_is_russian(i18n) -> None:
    text = check_text(order_text(i18n.bind("ru"), _update("completed"), "USD"), "HTML")
    assert "выполнен" in text


def test_many_updates_for_one_customer_fit_in_few_messages(i18n) -> None:
    updates = [_update("completed") for _ in range(60)] + [
        RefillUpdate(refill_id=1, order_id=3, user_id=1, service_name=NAME, status="completed")]
    texts = customer_texts(i18n.bind("en"), updates, "USD")
    assert 1 < len(texts) < 5
    assert all(len(t) <= MESSAGE_LIMIT for t in texts)
    plains = [check_text(t, "HTML") for t in texts]
    assert sum(p.count("#12") for p in plains) == 60 and "refill of order #3" in plains[-1]


def test_admin_listings_are_split_at_line_ends(i18n) -> None:
    created = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    unknown = UnknownOrders(
        orders=tuple(UnknownOrder(i, 42, "main", NAME * 3, 1_500_000, created, "no answer within 30s <x>")
                     for i in range(60)),
        total=75, reminder=False)
    misses = StatusMisses("main", (MissedOrder(5, "9999", 3, "Incorrect order ID"),))
    texts = admin_texts(i18n.bind("en"), [misses, unknown], "USD")
    assert all(len(t) <= MESSAGE_LIMIT for t in texts) and len(texts) >= 2
    plain = "\n".join(check_text(t, "HTML") for t in texts)
    assert "#5 (panel id 9999): Incorrect order ID" in plain
    assert "75" in plain and "…and 15 more." in plain and "2026-01-02 03:04 UTC" in plain
    assert "<x>" in plain  # escaped in HTML, shown as typed


def test_pack_keeps_parts_whole_and_cuts_only_what_cannot_fit() -> None:
    assert pack(["a", "b", "c"], "\n", limit=3) == ["a\nb", "c"]
    assert pack(["x" * 10], "\n", limit=5) == ["xxxx…"]
    assert pack([], "\n") == []
