"""How each button and typed value moves the New-order flow from one step to another.

Pure functions over the flow dict (see order_flow/state) plus the domain's parsers; they raise
Stale for a button that makes no sense at the current step (a forged one), and never touch
Telegram. The handlers render whatever step the flow is at afterwards.
"""

from __future__ import annotations

from typing import Any

from bot.domain.order_input import FieldContext, parse_field
from bot.domain.order_plan import context_for, fields_for, is_optional, next_field, previous_field, stored
from bot.handlers.order_flow.state import Stale
from bot.panel.models import Service
from bot.render.callbacks import BadCallback, Callback

MAX_QUERY_CHARS = 100
MIN_QUERY_CHARS = 2
_LISTS = ("platforms", "categories", "services")


def expect(flow: dict[str, Any], *steps: str) -> None:
    """Stale unless the flow is at one of `steps` (a button of another step was forged)."""
    if flow["step"] not in steps:
        raise Stale(f"button not of step {flow['step']}")


def int_arg(callback: Callback, index: int) -> int:
    """A button's number argument; Stale when it is not one."""
    try:
        return callback.int_arg(index)
    except BadCallback as exc:
        raise Stale(str(exc)) from None


def choose_platform(flow: dict[str, Any], key: str) -> None:
    """Platform button: its categories, first page."""
    expect(flow, "platforms")
    if key not in flow.get("platforms", {}):
        raise Stale("unknown platform")
    flow.update(step="categories", platform=key, cpage=0)


def turn_page(flow: dict[str, Any], page: int) -> None:
    """Page button of whichever list is on show."""
    expect(flow, "categories", "services", "results")
    flow[{"categories": "cpage", "services": "spage", "results": "rpage"}[flow["step"]]] = page


def choose_category(flow: dict[str, Any], category_id: int) -> None:
    """Category button: its services, first page (the caller checked the category is visible)."""
    expect(flow, "categories")
    flow.update(step="services", category=category_id, spage=0)


def choose_service(flow: dict[str, Any], index: int) -> None:
    """Service button of a list or search results: the service card."""
    expect(flow, "services", "results", "favourites")
    listed = flow.get("listed", [])
    if not 0 <= index < len(listed):
        raise Stale("no such row")
    flow.update(step="card", service=list(listed[index]), back_to=flow["step"])


def open_search(flow: dict[str, Any]) -> None:
    """Search button: ask for words."""
    expect(flow, *_LISTS)
    flow.update(step="search", search_from=flow["step"])


def search(flow: dict[str, Any], text: str) -> bool:
    """Typed words at a list or search step: the results; False when too short to search."""
    query = " ".join(text[: MAX_QUERY_CHARS * 4].split())[:MAX_QUERY_CHARS]
    if flow["step"] in _LISTS:
        flow["search_from"] = flow["step"]
    if len(query) < MIN_QUERY_CHARS:
        flow["step"] = "search"
        return False
    flow.update(step="results", query=query, rpage=0)
    return True


def start_fields(flow: dict[str, Any], service: Service) -> None:
    """Order button on the card: the first field."""
    expect(flow, "card")
    flow.update(step="field", field=next_field(service, None, {}), answers={})


def order_again(flow: dict[str, Any], panel: str, service_id: str, link: str, quantity: int) -> None:
    """Order again: the same service and link; the quantity is asked (the last one offered), then the card."""
    flow.update(step="field", field="quantity", service=[panel, service_id], answers={"link": link},
                again={"quantity": quantity}, back_to="platforms")


def go_back(flow: dict[str, Any], service: Service | None) -> None:
    """Back button: one step back (`service` is needed from the card on)."""
    step = flow["step"]
    if step == "categories":
        flow["step"] = "platforms"
    elif step == "services":
        flow["step"] = "categories"
    elif step in ("search", "results"):
        flow["step"] = flow.get("search_from", "platforms")
    elif step == "card":
        flow["step"] = flow.get("back_to", "platforms")
    elif step == "field" and service is not None:
        previous = previous_field(service, flow["field"], flow["answers"])
        if previous is None:
            flow["step"] = "card"
        else:
            flow["field"] = previous
    elif step in ("mass", "favourites"):
        flow["step"] = "platforms"
    elif step == "mass_preview":
        flow["step"] = "mass"
    elif step == "confirm" and service is not None:
        flow.update(step="field", field=previous_field(service, None, flow["answers"]))
    else:
        raise Stale(f"no way back from {step}")


def field_context(flow: dict[str, Any], service: Service) -> FieldContext:
    """The bounds the current field is checked against."""
    return context_for(service, flow["answers"])


def answer_field(flow: dict[str, Any], service: Service, text: str | None) -> None:
    """A typed value for the current field (InputError when it is wrong); then the next step."""
    field = flow["field"]
    value = parse_field(field, text, field_context(flow, service))
    _store_and_advance(flow, service, field, stored(value))


def skip_field(flow: dict[str, Any], service: Service) -> None:
    """Skip button: leave an optional field out."""
    expect(flow, "field")
    if not is_optional(service, flow["field"], flow["answers"]):
        raise Stale("field cannot be skipped")
    _store_and_advance(flow, service, flow["field"], None)


def _store_and_advance(flow: dict[str, Any], service: Service, field: str, value: Any) -> None:
    answers = flow["answers"]
    fields = fields_for(service)
    # answers after this one were given for the old value: they are asked again
    for later in fields[fields.index(field) + 1:]:
        answers.pop(later, None)
    answers[field] = value
    following = next_field(service, field, answers)
    if following is None or (flow.get("again") and field == "quantity"):  # Order again: straight to the card
        flow["step"] = "confirm"
    else:
        flow["field"] = following


def to_field(flow: dict[str, Any], field: str) -> None:
    """Put the flow back on a field the panel's rules refused (the first one if it was not asked)."""
    asked = list(flow["answers"])
    flow.update(step="field", field=field if field in asked else asked[0])


def service_gone(flow: dict[str, Any]) -> None:
    """The chosen service disappeared: back to the list it was chosen from."""
    flow["step"] = flow.get("back_to", "platforms")
