"""Normalisation beyond the docs: value types, status words, refusal kinds, odd shapes, bodies."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.panel import EntryError, OrderStatus, PanelRefused, PanelUnavailable, RefillStatus, RefusalKind
from bot.panel.answers import parse_order_states, parse_services
from bot.panel.decoding import BodyError, decode_body, repair_json
from bot.panel.refusals import classify, error_message
from bot.panel.request_answers import parse_cancels, parse_refill_states
from bot.panel.statuses import order_status, refill_status
from bot.panel.values import to_decimal, to_flag, to_id, to_int
from tests.fakes.panel_server import FakePanel


@pytest.mark.parametrize(("raw", "expected"), [
    (23501, "23501"), ("23501", "23501"), (" 23501 ", "23501"), (23501.0, "23501"), (Decimal("7.0"), "7"),
    ("a1b2-c3", "a1b2-c3"), ("007", "007"), (12345678901234567890, "12345678901234567890"),
])
def test_ids_are_opaque_strings(raw, expected: str) -> None:
    assert to_id(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("0.27819", Decimal("0.27819")), (0.08011655652, Decimal("0.08011655652")), (8, Decimal(8)),
    (" 1 000.5 ", Decimal("1000.5")), ("", None), (None, None),
])
def test_money_values_become_decimal(raw, expected) -> None:
    assert to_decimal(raw) == expected
    if expected is not None:
        assert type(to_decimal(raw)) is Decimal


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_goes_through_str_never_float_arithmetic(value: float) -> None:
    assert to_decimal(value) == Decimal(str(value))


@pytest.mark.parametrize(("raw", "expected"), [("157", 157), (157, 157), (157.0, 157), ("157.00", 157),
                                                ("-3", -3), ("", None)])
def test_counts(raw, expected) -> None:
    assert to_int(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (None, False), (True, True), (False, False), ("1", True), ("0", False), (1, True), (0, False),
    ("true", True), ("False", False), ("yes", True), ("maybe", False),
])
def test_flags(raw, expected: bool) -> None:
    assert to_flag(raw) is expected


@pytest.mark.parametrize(("word", "status"), [
    ("In progress", OrderStatus.IN_PROGRESS), ("In Progress", OrderStatus.IN_PROGRESS),
    ("in_progress", OrderStatus.IN_PROGRESS), ("Processing", OrderStatus.IN_PROGRESS),
    ("Canceled", OrderStatus.CANCELED), ("Cancelled", OrderStatus.CANCELED), ("PARTIAL", OrderStatus.PARTIAL),
    ("Completed", OrderStatus.COMPLETED), (" pending ", OrderStatus.PENDING), ("Refunded", OrderStatus.REFUNDED),
    ("Fail", OrderStatus.FAILED), ("Failed", OrderStatus.FAILED), ("Active", OrderStatus.ACTIVE),
    ("Paused", OrderStatus.PAUSED), ("Expired", OrderStatus.EXPIRED), ("Teleported", OrderStatus.UNKNOWN),
])
def test_order_status_words(word: str, status: OrderStatus) -> None:
    assert order_status(word) is status


@pytest.mark.parametrize(("word", "status"), [
    ("Completed", RefillStatus.COMPLETED), ("Rejected", RefillStatus.REJECTED), ("Pending", RefillStatus.PENDING),
    ("In progress", RefillStatus.IN_PROGRESS), ("Cancelled", RefillStatus.REJECTED), ("??", RefillStatus.UNKNOWN),
])
def test_refill_status_words(word: str, status: RefillStatus) -> None:
    assert refill_status(word) is status


@pytest.mark.parametrize(("message", "kind"), [
    ("Invalid API key", RefusalKind.INVALID_KEY), ("Not enough funds on balance", RefusalKind.PANEL_FUNDS),
    ("Incorrect link", RefusalKind.BAD_LINK), ("Quantity less than minimal 50", RefusalKind.QUANTITY),
    ("Incorrect service ID", RefusalKind.SERVICE_GONE), ("This service is disabled", RefusalKind.SERVICE_GONE),
    ("You have active order with this link. Please wait until order being completed.", RefusalKind.ACTIVE_ORDER),
    ("Order not eligible for refill.", RefusalKind.NOT_ELIGIBLE),
    ("Refill is disabled for this service", RefusalKind.NOT_ELIGIBLE),
    ("Incorrect order ID", RefusalKind.NOT_FOUND), ("Refill Request Not found", RefusalKind.NOT_FOUND),
    ("Invalid Request", RefusalKind.OTHER),
])
def test_refusal_kinds(message: str, kind: RefusalKind) -> None:
    assert classify(message) is kind


@pytest.mark.parametrize(("body", "message"), [
    ({"error": "  Incorrect   order ID "}, "Incorrect order ID"),
    ({"error": {"message": "nested"}}, "nested"),
    ({"errors": ["a", "b"]}, "a; b"),
    ({"error": True, "message": "boom"}, "boom"),
    ({"status": "error", "message": "Invalid key"}, "Invalid key"),
    ({"status": "fail", "message": "Link is private"}, "Link is private"),
    ({"success": False, "message": "nope"}, "nope"),
    ({"status": "Fail", "charge": "0", "remains": "10"}, None),  # an order that failed, not an error
    ({"error": False, "order": 5}, None), ({"error": "", "order": 5}, None),
    ({"status": "success", "message": "ok"}, None), ({"refill": "1", "status": 200, "message": "ok"}, None),
    ([{"error": "x"}], None),
])
def test_error_bodies(body, message) -> None:
    assert error_message(body) == message


def test_multi_status_odd_entries() -> None:
    body = {"1": "Incorrect order ID", "2": "Completed", "3": {"status": {"error": "nope"}}, "4": None,
            "5": {"status": "Weird", "charge": "N/A", "remains": 3.0}}
    states = parse_order_states(["1", "2", "3", "4", "5", "6"], body)
    assert states["1"] == EntryError(id="1", message="Incorrect order ID")
    assert states["2"].status is OrderStatus.COMPLETED
    assert states["3"].message == "nope"
    assert isinstance(states["4"], EntryError)
    assert (states["5"].status, states["5"].status_raw, states["5"].charge, states["5"].remains) == (
        OrderStatus.UNKNOWN, "Weird", None, 3)
    assert states["6"].message == "missing from the panel's answer"


def test_multi_answers_as_lists_or_objects() -> None:
    listed = parse_order_states(["7"], [{"order": 7, "status": "Partial", "remains": "2"}])
    assert listed["7"].status is OrderStatus.PARTIAL
    refills = parse_refill_states(["1", "2"], {"1": {"status": "Completed"}, "2": "Refill not found"})
    assert refills["1"].status is RefillStatus.COMPLETED and isinstance(refills["2"], EntryError)
    cancels = parse_cancels(["1", "2", "3"], {"1": {"cancel": 1}, "2": {"cancel": 0}, "3": {"error": "x"}})
    assert not isinstance(cancels["1"], EntryError)
    assert isinstance(cancels["2"], EntryError) and isinstance(cancels["3"], EntryError)


def test_order_state_raw_is_json_safe() -> None:
    state = parse_order_states(["1"], decode_body(b'{"1": {"status": "Completed", "charge": 0.1}}'))["1"]
    assert json.loads(json.dumps(state.raw)) == {"status": "Completed", "charge": "0.1"}


def test_unreadable_services_are_skipped_not_fatal(caplog) -> None:
    body = [{"service": 1, "name": "ok", "rate": "1.5", "min": "10", "max": "100"},
            {"service": 2, "name": "no rate"}, "junk", {"name": "no id", "rate": "1"},
            {"id": "x9", "name": "", "rate": 2, "type": "mentions_hashtag", "description": "a\r\nb  c"}]
    services = parse_services("p", body)
    assert [s.id for s in services] == ["1", "x9"]
    assert services[1].name == "#x9" and services[1].type.value == "mentions_hashtag"
    assert services[1].description == "a\nb c"
    assert "skipped 3" in caplog.text


@pytest.mark.parametrize("raw", [b"", b"   ", b"<html><body>502</body></html>", b"<!DOCTYPE html><p>x</p>",
                                 b"\xef\xbb\xbf<br />\n<b>Warning</b>", b"Internal Server Error", b'{"order": 1'])
def test_bodies_that_are_not_answers(raw: bytes) -> None:
    with pytest.raises(BodyError):
        decode_body(raw)


def test_lenient_repairs() -> None:
    assert decode_body(b'{"a": 1, "b": [1, 2,],}') == {"a": 1, "b": [1, 2]}
    assert decode_body(b'{"d": Service Description, "e": true}') == {"d": "Service Description", "e": True}
    assert decode_body(b'{"a": true\n "b": false}') == {"a": True, "b": False}
    assert decode_body(b'\xef\xbb\xbf{"rate": 0.90}') == {"rate": Decimal("0.90")}
    assert decode_body(b'{"s": "keeps , } inside"  ,}') == {"s": "keeps , } inside"}


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(_json)
def test_repair_never_changes_valid_json(value) -> None:
    text = json.dumps(value, default=lambda d: float(d))
    assert json.loads(repair_json(text), parse_float=Decimal) == json.loads(text, parse_float=Decimal)


@given(_json)
def test_trailing_commas_are_repaired_to_the_same_value(value) -> None:
    text = json.dumps(value, default=lambda d: float(d), indent=1)
    sloppy = text.replace("\n}", ",\n}").replace("\n]", ",\n]")
    assert decode_body(sloppy.encode()) == json.loads(text, parse_float=Decimal)


async def test_html_and_empty_answers_are_a_clear_unavailable(connect) -> None:
    async with FakePanel() as panel:
        client = await connect(panel, delays=())
        for fault, words in (("html200", "HTML page"), ("empty", "empty answer"), ("html502", "HTTP 502")):
            panel.inject("services", fault)
            with pytest.raises(PanelUnavailable) as caught:
                await client.services()
            assert words in caught.value.message and "Traceback" not in caught.value.message


async def test_unreadable_answers_of_reads_and_writes(connect) -> None:
    from bot.panel import OrderRequest, OutcomeUnknown

    async with FakePanel() as panel:
        client = await connect(panel, delays=())
        panel.script("balance", '{"funds_left": 5}')
        with pytest.raises(PanelUnavailable, match="no balance"):
            await client.balance()
        panel.script("add", '{"ok": true}')
        with pytest.raises(OutcomeUnknown, match="no order id"):
            await client.add(OrderRequest(service="1", link="https://e.com/x", quantity=100))
        panel.script("status", '{"status": "error", "message": "Incorrect order ID"}')
        with pytest.raises(PanelRefused) as caught:
            await client.status("5")
        assert caught.value.kind is RefusalKind.NOT_FOUND


def test_multi_answer_with_blank_keys_and_foreign_ids() -> None:
    states = parse_order_states(["1", "2"], {"": {"status": "Completed"}, " 1 ": {"status": "Pending"},
                                             "99": {"status": "Completed"}})
    assert states["1"].status is OrderStatus.PENDING
    assert states["2"].message == "missing from the panel's answer" and "99" not in states
