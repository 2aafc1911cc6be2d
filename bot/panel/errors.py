"""Typed errors of the panel adapter. None of them ever carries the API key."""

from __future__ import annotations

from enum import StrEnum


class RefusalKind(StrEnum):
    """Why a panel said no, in a few kinds the chat can explain; the panel's words are kept too."""

    INVALID_KEY = "invalid_key"
    PANEL_FUNDS = "panel_funds"  # the operator's balance on the panel is too low
    BAD_LINK = "bad_link"
    QUANTITY = "quantity"
    SERVICE_GONE = "service_gone"
    ACTIVE_ORDER = "active_order"  # the panel already runs an order for this link
    NOT_ELIGIBLE = "not_eligible"  # refill/cancel not allowed for this order now
    NOT_FOUND = "not_found"  # order or refill id unknown to the panel
    OTHER = "other"


class PanelError(Exception):
    """Base of everything the adapter raises about a panel."""

    def __init__(self, panel: str, message: str) -> None:
        super().__init__(f"[{panel}] {message}")
        self.panel = panel
        self.message = message


class PanelRefused(PanelError):
    """The panel answered and said no (`{"error": ...}` or a `status: error` body)."""

    def __init__(self, panel: str, message: str, kind: RefusalKind = RefusalKind.OTHER,
                 bound: str | None = None) -> None:
        super().__init__(panel, message)
        self.kind = kind
        self.bound = bound  # QUANTITY only: "min" (too low) or "max" (too high), None when the words do not say


class PanelUnavailable(PanelError):
    """No usable answer: connection failed, HTML/empty body, 5xx. Safe to retry read-only actions."""


class PanelRateLimited(PanelUnavailable):
    """HTTP 429; `retry_after` seconds when the panel said so."""

    def __init__(self, panel: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(panel, message)
        self.retry_after = retry_after


class OutcomeUnknown(PanelError):
    """`add`/`refill`/`cancel` may have reached the panel but we have no clear answer.

    Never retried: the order must be reconciled (an admin links or refunds it).
    """


class InvalidOrder(PanelError, ValueError):
    """The request is not valid for its order type; raised before anything is sent.

    `field` names the offending OrderRequest field, `code` is a short machine reason
    (missing, too_small, too_large, too_many, bad_format, not_allowed).
    """

    def __init__(self, panel: str, field: str, code: str, detail: str = "") -> None:
        super().__init__(panel, f"{field}: {code}" + (f" ({detail})" if detail else ""))
        self.field = field
        self.code = code
        self.detail = detail
