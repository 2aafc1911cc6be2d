"""Real-world panel answers and the meaning the adapter must reach for each (issue 19).

Each case: the action asked, the raw answer (status, body), what it must mean, and where it was
seen (tests/panel/wild/sources.py). A new wording goes here first, with its source; then the
adapter learns it (bot/panel/refusals.py patterns, bot/panel/statuses.py words) until this passes.

Meanings:
    Types({id: type})     a service list read: the order type of each service
    Refused(kind, bound)  a clear refusal: nothing placed (bound: "min"/"max" for quantities)
    UNKNOWN               the panel may hold the order: held for reconciliation, never refunded
    Placed(id) / Status(word) / Statuses({id: word | ERROR}) / RefillId(id) / RefillStatus(word) /
    Cancels({id: OK | ERROR})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.panel.wild import sources as src


@dataclass(frozen=True)
class Refused:
    kind: str
    bound: str | None = None


@dataclass(frozen=True)
class Placed:
    order_id: str


@dataclass(frozen=True)
class Status:
    word: str


@dataclass(frozen=True)
class Statuses:
    words: dict[str, str]


@dataclass(frozen=True)
class RefillId:
    refill_id: str


@dataclass(frozen=True)
class RefillStatus:
    word: str


@dataclass(frozen=True)
class Cancels:
    outcomes: dict[str, str]


@dataclass(frozen=True)
class Types:
    """A service list: each service id's order type (UNSUPPORTED: hidden, the admins told)."""

    types: dict[str, str]


UNKNOWN = "unknown"
ERROR = "error"
OK = "ok"


@dataclass(frozen=True)
class Case:
    action: str  # add | status | statuses | refill | refills | refill_status | cancel | cancels | services
    body: str
    meaning: Any
    source: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    ids: tuple[str, ...] = ("1",)  # what was asked (order or refill ids)


def _add(body: str, meaning: Any, source: str, **kw: Any) -> Case:
    return Case("add", body, meaning, source, **kw)


def _types(source: str, *words: str, meaning: str) -> Case:
    """A service list whose services are of the types `words`, all of which must read as `meaning`."""
    body = ", ".join(f'{{"service": {i}, "name": "S{i}", "type": "{w}", "category": "C", "rate": "1.00", '
                     f'"min": "10", "max": "1000"}}' for i, w in enumerate(words, start=1))
    return Case("services", f"[{body}]", Types({str(i): meaning for i in range(1, len(words) + 1)}), source)


CASES: list[Case] = [
    # --- error vocabularies on add -----------------------------------------------------------
    _add('{"error": "Quantity less than minimal 200"}', Refused("quantity", "min"), src.DB_DUMP),
    _add('{"error": "Quantity less than maximum 5000"}', Refused("quantity", "max"), src.CLONE_PHP),
    _add('{"error": "Quantity more than maximum 1000"}', Refused("quantity", "max"), src.NODE_SHOP),
    _add('{"error": "Quantity less than minimal ~100"}', Refused("quantity", "min"), src.NODE_SHOP),
    _add('{"error": "Not enough funds on balance"}', Refused("panel_funds"), src.CLONE_PHP),
    _add('{"error": "  Not enough funds on balance  "}', Refused("panel_funds"), src.DB_DUMP),
    _add('{"error": "Bad link"}', Refused("bad_link"), src.CLONE_PHP),
    _add('{"error": "Disabled service ID"}', Refused("service_gone"), src.CLONE_PHP),
    _add('{"error": "Incorrect service ID"}', Refused("service_gone"), src.CLONE_PHP),
    _add('{"error": "invalid API key"}', Refused("invalid_key"), src.CLONE_PY),
    _add('{"error": "Incorrect API key"}', Refused("invalid_key"), src.ADAPTER_TESTS),
    _add('{"error": "Incorrect link"}', Refused("bad_link"), src.ADAPTER_TESTS),
    _add('{"error": "neworder.error.not_enough_funds"}', Refused("panel_funds"), src.ARABIC_BOT),
    _add('{"error": "NOT_ENOUGH_FUNDS"}', Refused("panel_funds"), src.ARABIC_BOT),
    _add('{"error": "error.incorrect_service_id"}', Refused("service_gone"), src.TIKTOK_SCRIPT),
    _add('{"error": "incorrect_link"}', Refused("bad_link"), src.ARABIC_BOT),
    _add('{"error": "link_not_found"}', Refused("bad_link"), src.ARABIC_BOT),
    _add('{"error": "invalid_link"}', Refused("bad_link"), src.ARABIC_BOT),
    _add('{"error": "service_not_found"}', Refused("service_gone"), src.ARABIC_BOT),
    _add('{"error": "max_quantity"}', Refused("quantity", "max"), src.ARABIC_BOT),
    _add('{"error": "min_quantity"}', Refused("quantity", "min"), src.ARABIC_BOT),
    _add('{"error": "ip_not_allowed"}', Refused("invalid_key"), src.ARABIC_BOT),
    _add('{"error": "You have active order with this link. Please wait until order being completed."}',
         Refused("active_order"), src.ROUTER),
    _add('{"error": "api key not found"}', Refused("invalid_key"), src.ROUTER),
    _add('{"error": "Service is inactive"}', Refused("service_gone"), src.ROUTER),
    _add('{"error": "Invalid Service Id"}', Refused("service_gone"), src.LINKSINDEXING),
    _add('{"error": "Please follow the limit"}', Refused("quantity"), src.LINKSINDEXING),
    _add('{"error": "Insufficient balance"}', Refused("panel_funds"), src.LINKSINDEXING),
    _add('{"error": "The link field is required"}', Refused("bad_link"), src.LINKSINDEXING),
    _add('{"error": "Invalid api key"}', Refused("invalid_key"), src.LINKSINDEXING),
    _add('{"error": "Account suspended. Contact support."}', Refused("invalid_key"), src.NOTPANEL_ERRORS,
         status=403),
    _add('{"error": "Your account has been disabled"}', Refused("invalid_key"), src.NOTPANEL_ERRORS),
    _add('{"error": "Missing required parameter: service"}', Refused("other"), src.NOTPANEL_ERRORS, status=400),
    _add('{"error": "private account"}', Refused("bad_link"), src.PERMANENT_LIST),
    _add('{"error": "wrong link"}', Refused("bad_link"), src.PERMANENT_LIST),
    _add('{"error": "incorrect quantity"}', Refused("quantity"), src.PERMANENT_LIST),
    _add("Invalid API key", Refused("invalid_key"), src.PLAIN_TEXT),
    # --- add answers that hold an id, or none --------------------------------------------------
    _add('{"status": "success", "order": 151}', Placed("151"), src.FOLLOWERAN),
    _add('{"order": "23501"}', Placed("23501"), src.CHEAPEST_INDIA),
    _add('{"order": 12345}', Placed("12345"), src.SUBNOC),
    _add('{"order": 23506, "error": "Not enough funds on balance"}', UNKNOWN, src.ARABIC_BOT),
    _add('{"order": 0}', UNKNOWN, src.CLONE_PHP),
    # --- status words ------------------------------------------------------------------------
    Case("status", '{"charge": "0.03300", "start_count": "1691", "status": "Completed", "remains": "0", '
                   '"currency": "USD"}', Status("completed"), src.CHEAPEST_INDIA),
    Case("status", '{"order": 1526, "status": "Completed", "charge": "5400", "start_count": 300, "remains": 0}',
         Status("completed"), src.FOLLOWERAN),
    Case("status", '{"status": "Canceled", "start_count": 0, "remains": 100}', Status("canceled"),
         src.SCRIPT_INDO),
    Case("status", '{"status": "Processing", "remains": 10}', Status("in_progress"), src.PRISMA_MAP),
    Case("status", '{"status": "CANCELLED", "remains": 100}', Status("canceled"), src.JAVA_ENUM),
    Case("status", '{"status": "PAUSED"}', Status("paused"), src.JAVA_ENUM),
    Case("status", '{"status": "HOLDING"}', Status("pending"), src.JAVA_ENUM),
    Case("status", '{"status": "IN_PROGRESS"}', Status("in_progress"), src.JAVA_ENUM),
    Case("status", '{"status": "processing", "remains": "Unknown"}', Status("in_progress"), src.FOLLOWERAN),
    Case("status", '{"status": "Pending"}', Status("pending"), src.PRISMA_MAP),
    Case("status", '{"charge": "0.27819", "start_count": "3572", "status": "Partial", "remains": "157"}',
         Status("partial"), src.DOCS),
    Case("status", '{"status": "Cancelled", "remains": "100"}', Status("canceled"), src.CHEAPEST_INDIA),
    # --- multi-status shapes -----------------------------------------------------------------
    Case("statuses", '{"276801": {"order": 276801, "status": "processing", "remains": "Unknown"}, '
                     '"266094": {"order": 266094, "status": "Completed", "remains": 0}, '
                     '"266095": {"error": "Incorrect order ID"}}',
         Statuses({"276801": "in_progress", "266094": "completed", "266095": ERROR}), src.FOLLOWERAN,
         ids=("276801", "266094", "266095")),
    Case("statuses", '[{"order": 7, "status": "Completed", "remains": 0}, {"order": 8, "status": "Partial", '
                     '"remains": 5}, {"order": 9, "error": "Incorrect order ID"}]',
         Statuses({"7": "completed", "8": "partial", "9": ERROR}), src.IPLUSVIEW, ids=("7", "8", "9")),
    Case("statuses", '[{"status": "Completed", "remains": "0"}]', Statuses({"5": "completed"}), src.REVIEW,
         ids=("5",)),
    Case("statuses", '[{"status": "Completed"}, {"status": "Pending"}]', Statuses({"5": ERROR, "6": ERROR}),
         src.REVIEW, ids=("5", "6")),
    # --- refills -----------------------------------------------------------------------------
    Case("refill", '{"success": "Your order will be refill asap. Thank you for patience", "refill": 12345}',
         RefillId("12345"), src.SMMPANELS_STORE),
    Case("refill", '{"error": "Order not eligible for refill."}', Refused("not_eligible"), src.SMMPANELS_STORE),
    Case("refills", '[{"order": 1, "refill": 1}, {"order": 2, "refill": 2}, {"order": 3, "refill": '
                    '{"error": "Invalid Request"}}]', Statuses({"1": "1", "2": "2", "3": ERROR}),
         src.CHEAPEST_INDIA, ids=("1", "2", "3")),
    Case("refill_status", '{"status": "Cancelled"}', RefillStatus("rejected"), src.DOCS),
    Case("refill_status", '{"status": "Rejected"}', RefillStatus("rejected"), src.DOCS),
    Case("refill_status", '{"status": "Completed"}', RefillStatus("completed"), src.DOCS),
    # --- cancels -----------------------------------------------------------------------------
    Case("cancel", '{"cancel": "ord_01HG9X7K"}', Cancels({"1": OK}), src.NOTPANEL_CANCEL),
    Case("cancels", '[{"order": "5", "cancel": 1}, {"order": "6", "error": "Incorrect order ID"}]',
         Cancels({"5": OK, "6": ERROR}), src.NOTPANEL_CANCEL, ids=("5", "6")),
    Case("cancel", '{"success": "We will attempt to cancel this order. Cancellation is not guaranteed."}',
         Cancels({"1": OK}), src.DOCS),
    Case("cancel", '{"error": "Order not eligible for cancellation."}', Refused("not_eligible"), src.DOCS),
    # --- service types the five docs do not show, and clones' spellings of the ones they do ----------------
    _types(src.SEO_FORM, "SEO", meaning="seo"),
    _types(src.WEB_TRAFFIC_CLIENT, "Web Traffic", meaning="web_traffic"),
    _types(src.WEB_TRAFFIC_CLIENT, "High Quality", "Realtime", "Ads", "WatchTime", "Shorts", "Live", "Chat",
           meaning="unsupported"),
    _types(src.FOLLOWERAN, "default", meaning="default"),
]
