"""Recognising a panel's "no" in an answer body, and sorting it into a RefusalKind by keywords."""

from __future__ import annotations

import re
from typing import Any

from bot.panel.errors import PanelRefused, RefusalKind
from bot.panel.values import to_text

_ERROR_STATUS_WORDS = frozenset({"error", "fail", "failed", "failure"})
# fields that show a body describes an order (so `"status": "Fail"` is the order's status, not an error)
_ORDER_FIELDS = ("charge", "start_count", "remains", "runs", "posts", "currency")

# First match wins: the order matters ("Refill not found" is NOT_FOUND, "Service not found" is not).
# Patterns run on the normalised words (see `wording`), so `neworder.error.not_enough_funds`,
# "Not  enough funds " and "NOT_ENOUGH_FUNDS" all read "neworder error not enough funds".
# To teach the bot a new wording: add it to tests/panel/wild/corpus.py with its source and the
# meaning it must reach, then widen the pattern of that kind here until the corpus test passes.
_KIND_PATTERNS: tuple[tuple[RefusalKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (RefusalKind.INVALID_KEY, r"\bapi ?key\b|\binvalid key\b|\bincorrect key\b|\bwrong key\b|\bbad key\b"
                                  r"|unauthori[sz]ed|authenticat|\b(?:account|user)\b.*\b(?:suspended|disabled|banned"
                                  r"|blocked|deactivated|inactive|locked)\b|\b(?:suspended|banned|blocked) (?:account|user)"
                                  r"|\bip (?:is )?not (?:allowed|whitelisted)|\bip not allowed|access denied|forbidden"),
        (RefusalKind.PANEL_FUNDS, r"\bfunds?\b|\bbalance\b|insufficient|top ?up|not enough money|\bno money\b"),
        (RefusalKind.ACTIVE_ORDER, r"active order|already (?:have|has|an?) .*order|order .*already (?:running"
                                   r"|active|in progress)|wait until|same link|link duplicate|duplicate link"
                                   r"|\bduplicate order|already (?:exists? )?(?:in|on) (?:process|progress)"),
        (RefusalKind.SERVICE_GONE, r"(?:incorrect|invalid|unknown|wrong|inactive|disabled|bad) service"
                                   r"|service (?:id )?(?:is |was |has been )?(?:not found|disabled|inactive"
                                   r"|not active|unavailable|not available|deleted|removed|no longer"
                                   r"|does not exist|doesn t exist|not exist|off\b|paused|closed)"
                                   r"|service (?:id )?(?:incorrect|invalid|wrong)|service not found"),
        (RefusalKind.NOT_ELIGIBLE, r"not eligible|ineligible|not allowed|not available|can ?not be|can t be"
                                   r"|cannot|disabled for|is disabled|already (?:refill|cancel)"
                                   r"|too (?:early|soon)|not (?:refillable|cancell?able)|refill (?:is )?disabled"),
        (RefusalKind.QUANTITY, r"quantity|\bqty\b|\bminimal\b|\bmaximal\b|\bminimum\b|\bmaximum\b|\bmin\b"
                               r"|\bmax\b|follow the limit"),
        (RefusalKind.BAD_LINK, r"\blink\b|\burl\b|\bprivate\b|\busername\b|\bprofile\b|\bpost\b"),
        (RefusalKind.NOT_FOUND, r"not found|incorrect (?:order|refill)|invalid (?:order|refill)|wrong (?:order|refill)"
                                r"|(?:order|refill) id|no such|does not exist|doesn t exist|unknown order"),
    )
)
# which end of the range a quantity refusal is about: "less than minimal" is too low, "more than
# maximum" too high — and one clone's "Quantity less than maximum 5000" means above the maximum
_TOO_HIGH = re.compile(r"\bmax(?:imum|imal)?\b|too (?:high|big|large|many)|exceed|more than|greater than|above"
                       r"|over the", re.IGNORECASE)
_TOO_LOW = re.compile(r"\bmin(?:imum|imal)?\b|too (?:low|small|few)|less than|below|under the|at least",
                      re.IGNORECASE)


def wording(message: str) -> str:
    """A refusal as plain words: machine codes split at dots and underscores, case and padding gone."""
    return " ".join(re.split(r"[\s._'’-]+", message.strip().lower())).strip()


def classify(message: str) -> RefusalKind:
    """A panel's refusal text -> the kind of refusal the chat can explain."""
    words = wording(message)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(words):
            return kind
    return RefusalKind.OTHER


def quantity_bound(message: str) -> str | None:
    """For a QUANTITY refusal: "max" when the quantity was too high, "min" when too low, None when unclear."""
    words = wording(message)
    high, low = _TOO_HIGH.search(words), _TOO_LOW.search(words)
    if high and (not low or "max" in words):  # "less than maximum" names the maximum: too high
        return "max"
    return "min" if low else None


def refusal(panel: str, message: str) -> PanelRefused:
    """The PanelRefused for a panel's words: its kind and, for quantities, which end of the range."""
    kind = classify(message)
    return PanelRefused(panel, message, kind, quantity_bound(message) if kind is RefusalKind.QUANTITY else None)


def names_an_order(body: Any) -> bool:
    """Whether an answer carries an order field at all (whatever its value).

    `{"order": 23506, "error": "…"}` to an `add` may mean the panel took the order and then
    complained: never a clear refusal (refunding it could pay for an order the panel runs).
    """
    return isinstance(body, dict) and any(name in body for name in ("order", "order_id"))


def _present(value: Any) -> bool:
    """True for a real error value; `"error": false/0/""/null` in success bodies is no error."""
    return value not in (None, False, 0, "", "0", [], {})


def error_message(body: Any) -> str | None:
    """The panel's own (trimmed) words when `body` is an error answer, else None.

    Recognised: `{"error": ...}` (any value, nested too), `{"errors": ...}`,
    `{"status": "error"|"fail", "message": ...}` and `{"success": false, "message": ...}`.
    """
    if isinstance(body, str):
        return None
    if not isinstance(body, dict):
        return None
    for name in ("error", "errors"):
        if name in body and _present(body[name]):
            detail = body[name]
            if detail is True or detail == 1:  # `{"error": true, "message": "..."}`
                detail = body.get("message") or body.get("msg") or "error"
            return to_text(detail) or "error"
    status = body.get("status")
    if isinstance(status, str):
        word = status.strip().lower()
        message = body.get("message") or body.get("msg")
        if word == "error" or (
            word in _ERROR_STATUS_WORDS and message and not any(f in body for f in _ORDER_FIELDS)
        ):
            return to_text(message or status)
    success = body.get("success")
    if success is False or (isinstance(success, str) and success.strip().lower() == "false"):
        return to_text(body.get("message") or body.get("msg") or "request failed")
    return None
