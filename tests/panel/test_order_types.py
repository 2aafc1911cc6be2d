"""Per-type fields, validation before sending, billable units and the `add` form."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.panel import InvalidOrder, OrderRequest, OrderType, Service
from bot.panel.order_types import (
    ALLOWED_SUBSCRIPTION_DELAYS,
    billable_quantity,
    build_add_params,
    expected_charge,
    optional_fields,
    parse_order_type,
    required_fields,
)
from bot.panel.type_names import type_keys
from tests.fakes.panel_catalogue import PARAMS_BY_TYPE
from tests.panel.sample_requests import ORDERABLE, REQUESTS

_T = OrderType
LINK = "https://example.com/p/1"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Default", _T.DEFAULT), ("default", _T.DEFAULT), ("Custom Comments", _T.CUSTOM_COMMENTS),
    ("custom_comments", _T.CUSTOM_COMMENTS), ("CUSTOM-COMMENTS-PACKAGE", _T.CUSTOM_COMMENTS_PACKAGE),
    ("Mentions with Hashtags", _T.MENTIONS_WITH_HASHTAGS), ("mentions_custom_list", _T.MENTIONS_CUSTOM_LIST),
    ("Invites from Groups", _T.INVITES_FROM_GROUPS), ("  Subscriptions ", _T.SUBSCRIPTIONS),
    ("Subscription", _T.SUBSCRIPTIONS), ("Poll", _T.POLL), ("SEO", _T.SEO), ("", _T.DEFAULT),
    ("Web Traffic", _T.WEB_TRAFFIC), ("Custom Coments", _T.CUSTOM_COMMENTS), ("Mentions With Hashtag",
    _T.MENTIONS_WITH_HASHTAGS), ("Views Special", _T.UNSUPPORTED), ("Seo Traffic", _T.UNSUPPORTED),
    ("Mentions Hashtags", _T.UNSUPPORTED),  # as close to "mentions hashtag" as to "mentions with hashtags"
])
def test_parse_order_type(raw: str, expected: OrderType) -> None:
    assert parse_order_type(raw) is expected


def test_a_panels_own_words_win() -> None:
    overrides = type_keys({"Views Special": _T.DEFAULT, "default": _T.UNSUPPORTED})
    assert parse_order_type("views_special", overrides) is _T.DEFAULT
    assert parse_order_type("Default", overrides) is _T.UNSUPPORTED  # an operator may hide a type too
    assert parse_order_type("Poll", overrides) is _T.POLL


def test_an_unsupported_type_is_never_sent() -> None:
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(OrderRequest(service="19", type=_T.UNSUPPORTED, link=LINK, quantity=500))
    assert (caught.value.field, caught.value.code) == ("type", "not_allowed")


@pytest.mark.parametrize(("update", "field", "code"), [
    ({"type_of_traffic": 2, "google_keyword": None}, "referring_url", "missing"),
    ({"type_of_traffic": 2, "google_keyword": None, "referring_url": "https://a.b"}, None, None),
    ({"type_of_traffic": 3}, "google_keyword", "not_allowed"),
    ({"type_of_traffic": 3, "google_keyword": None}, None, None),
    ({"type_of_traffic": 1, "google_keyword": None}, "google_keyword", "missing"),
    ({"referring_url": "https://a.b"}, "referring_url", "not_allowed"),
    ({"device": 6}, "device", "not_allowed"), ({"type_of_traffic": 0}, "type_of_traffic", "not_allowed"),
    ({"country": "United\nStates"}, "country", "bad_format"),
])
def test_web_traffic_fields_go_together(update: dict, field: str | None, code: str | None) -> None:
    request = REQUESTS[_T.WEB_TRAFFIC].model_copy(update=update)
    if field is None:
        build_add_params(request)
        return
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(request)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_forms_of_the_types_the_docs_do_not_show() -> None:
    assert build_add_params(REQUESTS[_T.SEO]) == {
        "service": "17", "link": "https://example.com/shop", "quantity": "500",
        "keywords": "buy red shoes\nred shoes sale"}
    assert build_add_params(REQUESTS[_T.WEB_TRAFFIC]) == {
        "service": "18", "link": "https://example.com/shop", "quantity": "2000", "country": "US", "device": "5",
        "type_of_traffic": "1", "google_keyword": "red shoes"}


def test_every_type_title_and_snake_case_round_trip() -> None:
    for order_type in OrderType:
        assert parse_order_type(order_type.value) is order_type
        assert parse_order_type(order_type.value.replace("_", " ").title()) is order_type


@pytest.mark.parametrize("order_type", ORDERABLE, ids=lambda t: t.value)
def test_required_fields_match_what_the_panel_demands(order_type: OrderType) -> None:
    """The fake panel's table is written from doc 004 separately; the two must agree."""
    panel_key = order_type.value.replace("_", " ")
    assert set(required_fields(order_type)) == set(PARAMS_BY_TYPE[panel_key])


@pytest.mark.parametrize("order_type", ORDERABLE, ids=lambda t: t.value)
def test_each_required_field_is_required(order_type: OrderType) -> None:
    request = REQUESTS[order_type]
    for field in required_fields(order_type):
        with pytest.raises(InvalidOrder) as caught:
            build_add_params(request.model_copy(update={field: None}))
        assert (caught.value.field, caught.value.code) == (field, "missing")


@pytest.mark.parametrize("order_type", ORDERABLE, ids=lambda t: t.value)
def test_fields_of_other_types_are_not_allowed(order_type: OrderType) -> None:
    allowed = set(required_fields(order_type)) | set(optional_fields(order_type))
    stray = next(f for f in ("hashtag", "media", "answer_number") if f not in allowed)
    value = 3 if stray == "answer_number" else "x"
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(REQUESTS[order_type].model_copy(update={stray: value}))
    assert (caught.value.field, caught.value.code) == (stray, "not_allowed")


def test_forms_of_some_types() -> None:
    assert build_add_params(REQUESTS[_T.DEFAULT]) == {
        "service": "1", "link": "https://instagram.com/p/abc_123", "quantity": "100", "runs": "3",
        "interval": "15"}
    assert build_add_params(REQUESTS[_T.MENTIONS_WITH_HASHTAGS])["hashtags"] == "#goodphoto\n#sun"
    sub = build_add_params(REQUESTS[_T.SUBSCRIPTIONS])
    expiry = REQUESTS[_T.SUBSCRIPTIONS].expiry
    assert sub["expiry"] == f"{expiry.day:02d}/{expiry.month:02d}/{expiry.year}"
    assert "link" not in sub and sub["delay"] == "30"


@pytest.mark.parametrize(("update", "field", "code"), [
    ({"quantity": 0}, "quantity", "too_small"),
    ({"quantity": -5}, "quantity", "too_small"),
    ({"link": "   "}, "link", "missing"),
    ({"link": "https://a b"}, "link", "bad_format"),
    ({"link": "x" * 3000}, "link", "too_large"),
    ({"runs": 3, "interval": None}, "interval", "missing"),
    ({"runs": None, "interval": 10}, "runs", "missing"),
    ({"runs": 0}, "runs", "too_small"),
])
def test_default_validation(update: dict, field: str, code: str) -> None:
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(REQUESTS[_T.DEFAULT].model_copy(update=update))
    assert (caught.value.field, caught.value.code, caught.value.panel) == (field, code, "")


@pytest.mark.parametrize(("order_type", "update", "field", "code"), [
    (_T.CUSTOM_COMMENTS, {"comments": ()}, "comments", "missing"),
    (_T.CUSTOM_COMMENTS, {"comments": ("ok", "two\nlines")}, "comments", "bad_format"),
    (_T.CUSTOM_COMMENTS, {"comments": ("ok", "  ")}, "comments", "missing"),
    (_T.MENTIONS, {"usernames": ("ann smith",)}, "usernames", "bad_format"),
    (_T.MENTIONS_HASHTAG, {"hashtag": "two words"}, "hashtag", "bad_format"),
    (_T.POLL, {"answer_number": 0}, "answer_number", "too_small"),
    (_T.SUBSCRIPTIONS, {"delay": 7}, "delay", "not_allowed"),
    (_T.SUBSCRIPTIONS, {"min": 200, "max": 100}, "max", "too_small"),
    (_T.SUBSCRIPTIONS, {"expiry": date.today() - timedelta(days=1)}, "expiry", "too_small"),
    (_T.SUBSCRIPTIONS, {"posts": -1}, "posts", "too_small"),
])
def test_type_specific_validation(order_type: OrderType, update: dict, field: str, code: str) -> None:
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(REQUESTS[order_type].model_copy(update=update))
    assert (caught.value.field, caught.value.code) == (field, code)


def test_allowed_delays_are_the_documented_ones() -> None:
    assert ALLOWED_SUBSCRIPTION_DELAYS[:5] == (0, 5, 10, 15, 30) and ALLOWED_SUBSCRIPTION_DELAYS[-1] == 600
    assert len(ALLOWED_SUBSCRIPTION_DELAYS) == 19
    for delay in ALLOWED_SUBSCRIPTION_DELAYS:
        build_add_params(REQUESTS[_T.SUBSCRIPTIONS].model_copy(update={"delay": delay}))


def _service(order_type: OrderType, **extra) -> Service:
    fields = {"panel": "p", "id": "1", "name": "s", "type": order_type, "type_raw": order_type.value,
              "category": "c", "rate": Decimal("1"), "min": 10, "max": 1000} | extra
    return Service(**fields)


def test_bounds_and_features_checked_against_the_service() -> None:
    default = REQUESTS[_T.DEFAULT]
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(default, _service(_T.DEFAULT, min=500, dripfeed=True))
    assert (caught.value.field, caught.value.code) == ("quantity", "too_small")
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(default, _service(_T.DEFAULT, max=50, min=1, dripfeed=True))
    assert (caught.value.field, caught.value.code) == ("quantity", "too_large")
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(default, _service(_T.DEFAULT))
    assert (caught.value.field, caught.value.code) == ("runs", "not_allowed")
    comments = REQUESTS[_T.CUSTOM_COMMENTS].model_copy(update={"service": "1"})
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(comments, _service(_T.CUSTOM_COMMENTS, min=1, max=5))
    assert (caught.value.field, caught.value.code) == ("comments", "too_many")
    with pytest.raises(InvalidOrder) as caught:
        build_add_params(comments, _service(_T.POLL))
    assert caught.value.field == "type"
    assert build_add_params(default, _service(_T.DEFAULT, dripfeed=True))["runs"] == "3"


@pytest.mark.parametrize(("order_type", "units"), [
    (_T.DEFAULT, 300), (_T.PACKAGE, 1), (_T.CUSTOM_COMMENTS, 12), (_T.CUSTOM_COMMENTS_PACKAGE, 1),
    (_T.MENTIONS, 200), (_T.MENTIONS_CUSTOM_LIST, 10), (_T.COMMENT_REPLIES, 5), (_T.POLL, 100),
    (_T.SUBSCRIPTIONS, 110 * 7),
])
def test_billable_quantity(order_type: OrderType, units: int) -> None:
    assert billable_quantity(REQUESTS[order_type]) == units


def test_unlimited_subscription_has_no_upfront_units() -> None:
    with pytest.raises(InvalidOrder) as caught:
        billable_quantity(REQUESTS[_T.SUBSCRIPTIONS].model_copy(update={"posts": None, "old_posts": None}))
    assert caught.value.field == "posts"


def test_expected_charge_is_exact() -> None:
    assert expected_charge(Decimal("0.90"), REQUESTS[_T.DEFAULT]) == Decimal("0.27")
    assert expected_charge(Decimal("2.50"), REQUESTS[_T.PACKAGE]) == Decimal("2.50")
    assert type(expected_charge(Decimal("8"), REQUESTS[_T.CUSTOM_COMMENTS])) is Decimal
