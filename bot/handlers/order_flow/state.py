"""The New-order flow's state in user_data, its button checks, and showing a screen.

The flow is one JSON-friendly dict under user_data["order_flow"] (persisted across restarts):
    nonce   random per flow; in every button, and the client_token of place_order
    seq     number of the screen on show; a button of any other screen is stale
    step    platforms | categories | services | search | results | card | field | confirm
            | mass (the list is asked) | mass_preview (mass_text, mass: the lines Confirm places)
    ...     the step's own keys (platform, category, cpage, spage, query, rpage, listed,
            service, back_to, field, answers)
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from telegram.ext import ContextTypes

from bot.render.callbacks import BadCallback, Callback, unpack
from bot.render.order_views import FEATURE, Tag
from bot.runtime import runtime

log = logging.getLogger(__name__)

FLOW_KEY = "order_flow"

# conversation states (strings: they are persisted as JSON)
BROWSE, FIELD, CONFIRM, MASS = "browse", "field", "confirm", "mass"
STATE_OF_STEP = {"platforms": BROWSE, "categories": BROWSE, "services": BROWSE, "search": BROWSE,
                 "results": BROWSE, "card": BROWSE, "field": FIELD, "confirm": CONFIRM,
                 "mass": MASS, "mass_preview": MASS, "favourites": BROWSE}


class Stale(Exception):
    """A button that is not one of the screen on show: old, pressed twice, forged or foreign."""


def new_flow(user_data: dict[str, Any]) -> dict[str, Any]:
    """Start a fresh flow (replacing any other), at the platform list."""
    flow = {"nonce": secrets.token_urlsafe(6), "seq": 0, "step": "platforms", "answers": {}, "at": time.time()}
    user_data[FLOW_KEY] = flow
    return flow


def current_flow(user_data: dict[str, Any] | None, max_idle: float | None = None) -> dict[str, Any] | None:
    """The flow in progress, if any; one idle longer than `max_idle` seconds is ended instead.

    PTB's conversation timeout is a job, and jobs do not survive a restart: the flow's own
    clock makes an abandoned flow end even when the bot restarted since.
    """
    flow = (user_data or {}).get(FLOW_KEY)
    if not isinstance(flow, dict) or "nonce" not in flow:
        return None
    if max_idle is not None and time.time() - float(flow.get("at", 0)) > max_idle:
        end_flow(user_data)
        return None
    return flow


def live_flow(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any] | None:
    """The customer's flow unless it was abandoned for longer than CONVERSATION_TIMEOUT_SECONDS."""
    timeout = runtime(context).settings.telegram.conversation_timeout_seconds
    return current_flow(context.user_data, max_idle=timeout)


def end_flow(user_data: dict[str, Any] | None) -> None:
    """Forget the flow: every one of its buttons becomes stale."""
    if user_data is not None:
        user_data.pop(FLOW_KEY, None)


def next_tag(flow: dict[str, Any]) -> Tag:
    """The tag of a new screen; the buttons of the previous one become stale."""
    flow["seq"] = int(flow.get("seq", 0)) + 1
    flow["at"] = time.time()  # wall clock: it must mean the same after a restart
    return Tag(flow["nonce"], flow["seq"])


def checked_button(flow: dict[str, Any] | None, data: object) -> Callback:
    """The pressed button decoded, if it belongs to the screen on show; Stale otherwise."""
    try:
        callback = unpack(data)
        if flow is None or callback.feature != FEATURE:
            raise Stale("no flow or another feature")
        if callback.arg(0) != flow["nonce"] or callback.arg(1) != str(flow["seq"]):
            raise Stale("another screen")
    except BadCallback as exc:
        raise Stale(str(exc)) from None
    return callback


def state_of(flow: dict[str, Any]) -> str:
    """The conversation state matching the flow's step."""
    return STATE_OF_STEP[flow["step"]]
