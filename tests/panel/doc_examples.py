"""Every example answer of the five panel docs (/work/shared/panel-api-docs), as data.

Bodies are copied from the docs (line breaks may differ), invalid JSON included (doc 001's trailing commas
and unquoted `Service Description`, doc 002's missing commas). Doc 003's page wraps every key
in a syntax-highlighting artefact (`300">"service"`); that is the web page, not the panel's
answer, so its bodies appear here with the artefact removed.

`expect` is the meaning the adapter must extract: a str (an id), a dict of model fields, a
list of such dicts (services), a dict id -> fields | Err, or Refused(kind, message).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D
from typing import Any


@dataclass(frozen=True)
class Err:
    """An EntryError with this message."""

    message: str


@dataclass(frozen=True)
class Refused:
    """A PanelRefused of this kind with this message."""

    kind: str
    message: str


@dataclass(frozen=True)
class DocExample:
    doc: str
    action: str  # services add status status_multi refill refill_multi refill_status ... balance
    body: str
    expect: Any
    ids: tuple[str, ...] = ()  # the id asked about (single) or ids (multi)


_PARTIAL = {"status": "partial", "status_raw": "Partial", "charge": D("0.27819"), "start_count": 3572,
            "remains": 157, "currency": "USD"}
_IN_PROGRESS_100 = {"status": "in_progress", "status_raw": "In progress", "charge": D("1.44219"),
                    "start_count": 234, "remains": 10, "currency": "USD"}
_BALANCE = {"amount": D("100.84292"), "currency": "USD"}
_TWO_SERVICES = [
    {"id": "1", "name": "Followers", "type": "default", "type_raw": "Default", "category": "First Category",
     "rate": D("0.90"), "min": 50, "max": 10000, "refill": True, "cancel": True, "dripfeed": False},
    {"id": "2", "name": "Comments", "type": "custom_comments", "type_raw": "Custom Comments",
     "category": "Second Category", "rate": D("8"), "min": 10, "max": 1500, "refill": False,
     "cancel": True, "dripfeed": False},
]

# --- docs 000 (smmfolgen), 003 (smmgen, artefact removed) and 004 (smmsofia) print the same answers
_STANDARD_SERVICES = """[
      {"service": 1, "name": "Followers", "type": "Default", "category": "First Category",
       "rate": "0.90", "min": "50", "max": "10000", "refill": true, "cancel": true},
      {"service": 2, "name": "Comments", "type": "Custom Comments", "category": "Second Category",
       "rate": "%s", "min": "10", "max": "1500", "refill": false, "cancel": true}
  ]"""
_STANDARD = [
    ("add", '{\n      "order": 23501\n  }', "23501", ()),
    ("status", '{\n "charge": "0.27819",\n "start_count": "3572",\n "status": "Partial",\n'
               ' "remains": "157",\n "currency": "USD"\n}', _PARTIAL, ("23501",)),
    ("status_multi", '{"1": {"charge": "0.27819", "start_count": "3572", "status": "Partial", "remains": "157",'
                     ' "currency": "USD"}, "10": {"error": "Incorrect order ID"}, "100": {"charge": "1.44219",'
                     ' "start_count": "234", "status": "In progress", "remains": "10", "currency": "USD"}}',
     {"1": _PARTIAL, "10": Err("Incorrect order ID"), "100": _IN_PROGRESS_100}, ("1", "10", "100")),
    ("refill", '{\n "refill": "1"\n}', "1", ("23501",)),
    ("refill_multi", '[{"order": 1, "refill": 1}, {"order": 2, "refill": 2},'
                     ' {"order": 3, "refill": {"error": "Incorrect order ID"}}]',
     {"1": "1", "2": "2", "3": Err("Incorrect order ID")}, ("1", "2", "3")),
    ("refill_status", '{\n "status": "Completed"\n}', {"status": "completed", "status_raw": "Completed"}, ("1",)),
    ("refill_status_multi", '[{"refill": 1, "status": "Completed"}, {"refill": 2, "status": "Rejected"},'
                            ' {"refill": 3, "status": {"error": "Refill not found"}}]',
     {"1": {"status": "completed"}, "2": {"status": "rejected"}, "3": Err("Refill not found")}, ("1", "2", "3")),
    ("cancel_multi", '[{"order": 9, "cancel": {"error": "Incorrect order ID"}}, {"order": 2, "cancel": 1}]',
     {"9": Err("Incorrect order ID"), "2": {"order_id": "2"}}, ("9", "2")),
    ("balance", '{\n "balance": "100.84292",\n "currency": "USD"\n}', _BALANCE, ()),
]

EXAMPLES: list[DocExample] = []
for _doc, _rate in (("000", "8"), ("003", "8.00"), ("004", "8")):
    _services = [dict(s) for s in _TWO_SERVICES]
    _services[1]["rate"] = D(_rate)
    EXAMPLES.append(DocExample(_doc, "services", _STANDARD_SERVICES % _rate, _services))
    EXAMPLES += [DocExample(_doc, action, body, expect, ids) for action, body, expect, ids in _STANDARD]

# --- doc 001 (smmserver): string ids, float charges, "Cancelled", lenient JSON
_SERVER_SERVICE = {"name": "Real & Active Followers", "category": "Instagram Followers", "type": "default",
                   "type_raw": "default", "description": "Service Description", "dripfeed": True,
                   "refill": True, "cancel": True, "min": 100}
EXAMPLES += [
    DocExample("001", "add", '{ "order":"23501" }', "23501"),
    DocExample("001", "status", '{ "charge": "0.03300", "start_count": "1691", "status": "Completed",'
                                ' "remains": "0", "currency": "USD" }',
               {"status": "completed", "charge": D("0.03300"), "start_count": 1691, "remains": 0}, ("1",)),
    DocExample("001", "status_multi",
               '{ "486450": { "charge": 0.08011655652, "start_count": "44", "status": "Completed",'
               ' "remains": "0", "currency": "USD" }, "486451": { "error": "Incorrect order ID" },'
               ' "486561": { "charge": 0.04434830916, "start_count": "181", "status": "Cancelled",'
               ' "remains": "100", "currency": "USD" } }',
               {"486450": {"status": "completed", "charge": D("0.08011655652"), "start_count": 44, "remains": 0},
                "486451": Err("Incorrect order ID"),
                "486561": {"status": "canceled", "status_raw": "Cancelled", "charge": D("0.04434830916"),
                           "remains": 100}},
               ("486450", "486451", "486561")),
    DocExample("001", "refill", '{ "success": "Your order will be refill asap. Thank you for patience",'
                                ' "refill": 12345 }', "12345", ("1",)),
    DocExample("001", "refill", '{ "error": "Order not eligible for refill." }',
               Refused("not_eligible", "Order not eligible for refill."), ("1",)),
    DocExample("001", "refill_multi", '[ { "order": 1, "refill": 1 }, { "order": 2, "refill": 2 },'
                                      ' { "order": 3, "refill": { "error": "Invalid Request" } } ]',
               {"1": "1", "2": "2", "3": Err("Invalid Request")}, ("1", "2", "3")),
    DocExample("001", "refill_status", '{ "status": "Completed" }', {"status": "completed"}, ("1",)),
    DocExample("001", "refill_status_multi",
               '[ { "refill": 1, "status": "Completed" }, { "refill": 2, "status": "Cancelled" },'
               ' { "refill": 3, "status": { "error": "Refill Request Not found" } } ]',
               {"1": {"status": "completed"}, "2": {"status": "rejected", "status_raw": "Cancelled"},  # refused by the panel
                "3": Err("Refill Request Not found")}, ("1", "2", "3")),
    DocExample("001", "cancel", '{ "success": "We will attempt to cancel this order. Cancellation is not'
                                ' guaranteed. Please check again in 5 minutes.", }',
               {"order_id": "7", "message": "We will attempt to cancel this order. Cancellation is not"
                                            " guaranteed. Please check again in 5 minutes."}, ("7",)),
    DocExample("001", "cancel", '{ "error": "Order not eligible for cancellation." }',
               Refused("not_eligible", "Order not eligible for cancellation."), ("7",)),
    DocExample("001", "services",
               '[ { "service": 101, "name": "Real & Active Followers", "rate": "250.00", "min": "100",'
               ' "max": "100000", "category": "Instagram Followers", "type": "default", "description":'
               ' Service Description, "dripfeed": true, "refill": true, "cancel": true, }, { "service": 30067,'
               ' "name": "Instagram - Worldwide", "rate": "103.00", "min": "100", "max": "10000", "category":'
               ' "Instagram Followers", "type": "default", "description": Service Description, "dripfeed":'
               ' true, "refill": true, "cancel": true, } ]',
               [_SERVER_SERVICE | {"id": "101", "rate": D("250.00"), "max": 100000},
                _SERVER_SERVICE | {"id": "30067", "name": "Instagram - Worldwide", "rate": D("103.00"),
                                   "max": 10000}]),
    DocExample("001", "balance", '{ "balance": "100.84292", "currency": "USD" }', _BALANCE),
]

# --- doc 002 (smmproxy): desc, missing commas, error codes, subscription and drip-feed entries
EXAMPLES += [
    DocExample("002", "services", """[
    {
        "service": 1,
        "name": "Followers",
        "type": "Default",
        "category": "First Category",
        "rate": "0.90",
        "min": "50",
        "max": "10000",
        "desc": "High quality followers",
        "refill": true,
        "cancel": true
        "dripfeed": true
    },
    {
        "service": 2,
        "name": "Comments",
        "type": "Custom Comments",
        "category": "Second Category",
        "rate": "8",
        "min": "10",
        "max": "1500",
        "desc": "Custom comments service",
        "refill": false,
        "cancel": false
        "dripfeed": false
    }
]""", [_TWO_SERVICES[0] | {"description": "High quality followers", "dripfeed": True},
       _TWO_SERVICES[1] | {"description": "Custom comments service", "cancel": False}]),
    DocExample("002", "add", '{\n    "order": 23501\n}', "23501"),
    DocExample("002", "status", '{\n    "charge": "0.27819",\n    "start_count": "3572",\n    "status": "Partial",'
                                '\n    "remains": "157",\n    "currency": "USD"\n}', _PARTIAL, ("23501",)),
    DocExample("002", "status_multi", """{
    "1": {"charge": "0.27819", "start_count": "3572", "status": "Partial", "remains": "157", "currency": "USD"},
    "10": {"error": "Incorrect order ID", "status": "104"},
    "15": {"status": "Active", "posts": 5},
    "20": {"status": "In Progress", "runs": 3}
}""", {"1": _PARTIAL, "10": Err("Incorrect order ID"),
       "15": {"status": "active", "posts": 5, "charge": None, "remains": None},
       "20": {"status": "in_progress", "status_raw": "In Progress", "runs": 3, "charge": None}},
        ("1", "10", "15", "20")),
    DocExample("002", "refill", '{\n    "refill": "12345",\n    "status": 200,\n    "message": "Refill has been'
                                ' placed successfully!"\n}', "12345", ("1",)),
    DocExample("002", "refill_status", '{\n    "status": "Completed"\n}', {"status": "completed"}, ("1",)),
    DocExample("002", "cancel", '{\n    "status": "success",\n    "message": "Cancellation request added,'
                                ' we\'ll try our best to cancel it."\n}',
               {"order_id": "7", "message": "Cancellation request added, we'll try our best to cancel it."},
               ("7",)),
    DocExample("002", "balance", '{\n    "balance": "100.84292",\n    "currency": "USD"\n}', _BALANCE),
]
