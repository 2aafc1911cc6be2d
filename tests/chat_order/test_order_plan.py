"""The order plan: which fields each type asks, in order, and answers that build a valid add form."""

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.order_input import parse_field
from bot.domain.order_plan import (
    build_request,
    context_for,
    counted_list,
    fields_for,
    is_optional,
    next_field,
    previous_field,
    stored,
)
from bot.panel.models import OrderType, Service
from bot.panel.order_types import billable_quantity, build_add_params


def service(order_type=OrderType.DEFAULT, dripfeed=False, min_=10, max_=1000):
    return Service(panel="main", id="7", name="S", type=order_type, type_raw=order_type.value, category="C",
                   rate=Decimal("1.5"), min=min_, max=max_, dripfeed=dripfeed)


def walk(svc, typed):
    """Answer every asked field with typed[field] (None = skip), as the chat would."""
    answers, field = {}, next_field(svc, None, {})
    while field is not None:
        text = typed[field]
        if text is None:
            assert is_optional(svc, field, answers), field
            answers[field] = None
        else:
            answers[field] = stored(parse_field(field, text, context_for(svc, answers, date(2030, 1, 1))))
        field = next_field(svc, field, answers)
    return answers


def test_default_without_and_with_dripfeed():
    assert fields_for(service()) == ("link", "quantity")
    drip = service(dripfeed=True)
    assert fields_for(drip) == ("link", "quantity", "runs", "interval")
    no_runs = walk(drip, {"link": "https://x.com/a", "quantity": "100", "runs": None})
    assert "interval" not in no_runs
    assert build_add_params(build_request(drip, no_runs), drip) == {
        "service": "7", "link": "https://x.com/a", "quantity": "100"}
    runs = walk(drip, {"link": "https://x.com/a", "quantity": "100", "runs": "5", "interval": "30"})
    request = build_request(drip, runs)
    assert build_add_params(request, drip)["runs"] == "5"
    assert billable_quantity(request) == 500


def test_back_skips_interval_when_runs_were_skipped():
    drip = service(dripfeed=True)
    assert previous_field(drip, "interval", {"runs": None}) == "runs"
    assert previous_field(drip, None, {"runs": None}) == "runs"
    assert previous_field(drip, None, {"runs": 3}) == "interval"
    assert previous_field(drip, "link", {}) is None


def test_custom_comments_count_is_the_quantity():
    svc = service(OrderType.CUSTOM_COMMENTS, min_=2, max_=3)
    assert counted_list(svc.type) == "comments"
    answers = walk(svc, {"link": "https://x.com/p", "comments": "nice\ngreat <3"})
    request = build_request(svc, answers)
    assert request.comments == ("nice", "great <3")
    assert build_add_params(request, svc)["comments"] == "nice\ngreat <3"
    assert billable_quantity(request) == 2
    assert counted_list(OrderType.CUSTOM_COMMENTS_PACKAGE) is None


def test_subscription_needs_posts_or_old_posts():
    svc = service(OrderType.SUBSCRIPTIONS)
    assert is_optional(svc, "posts", {})
    assert not is_optional(svc, "old_posts", {"posts": None})
    answers = walk(svc, {"username": "@acc", "min": "20", "max": "50", "delay": "30", "posts": None,
                         "old_posts": "4", "expiry": "1/2/2031"})
    request = build_request(svc, answers)
    assert request.expiry == date(2031, 2, 1)
    assert build_add_params(request, svc)["expiry"] == "01/02/2031"
    assert billable_quantity(request) == 200


@pytest.mark.parametrize("order_type", [t for t in OrderType if t is not OrderType.UNSUPPORTED])
def test_every_type_can_be_walked(order_type):
    typed = {"link": "https://x.com/p", "quantity": "100", "runs": None, "interval": None,
             "comments": "a\nb\nc", "usernames": "u1\nu2\nu3", "hashtags": "#a", "hashtag": "#tag",
             "username": "acc", "media": "https://x.com/m", "answer_number": "2", "groups": "g1",
             "min": "10", "max": "20", "posts": "3", "old_posts": None, "delay": "0", "expiry": None,
             "keywords": "red shoes\nbuy shoes", "country": "de", "device": "4", "type_of_traffic": "2",
             "referring_url": "https://news.example/shoes"}
    svc = service(order_type, dripfeed=True, min_=1, max_=1000)
    request = build_request(svc, walk(svc, typed))
    assert build_add_params(request, svc)["service"] == "7"
    assert billable_quantity(request) >= 1


@pytest.mark.parametrize(("traffic", "asked", "sent"), [
    ("1", "google_keyword", {"google_keyword": "red shoes"}),
    ("2", "referring_url", {"referring_url": "https://news.example/a"}),
    ("3", None, {}),
])
def test_web_traffic_asks_what_its_traffic_type_needs(traffic, asked, sent):
    svc = service(OrderType.WEB_TRAFFIC, min_=100, max_=10000)
    typed = {"link": "https://shop.example", "quantity": "1 000", "country": "us", "device": "2",
             "type_of_traffic": traffic, "google_keyword": "  red   shoes ", "referring_url": "https://news.example/a"}
    answers = walk(svc, typed)
    assert [f for f in ("google_keyword", "referring_url") if f in answers] == ([asked] if asked else [])
    assert not is_optional(svc, "google_keyword", {"type_of_traffic": 1})  # asked only when needed, then needed
    params = build_add_params(build_request(svc, answers), svc)
    assert {k: v for k, v in params.items() if k in ("google_keyword", "referring_url")} == sent
    assert (params["country"], params["device"], params["quantity"]) == ("US", "2", "1000")
    assert previous_field(svc, None, answers) == (asked or "type_of_traffic")  # Back from the card


def test_an_unsupported_type_asks_nothing():
    assert fields_for(service(OrderType.UNSUPPORTED)) == ()
