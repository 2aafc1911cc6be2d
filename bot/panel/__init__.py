"""The shared async adapter for SMM panels speaking HTTP API v2. Knows nothing of the database."""

from bot.panel.client import PanelClient
from bot.panel.errors import (
    InvalidOrder,
    OutcomeUnknown,
    PanelError,
    PanelRateLimited,
    PanelRefused,
    PanelUnavailable,
    RefusalKind,
)
from bot.panel.hub import PanelHub
from bot.panel.models import (
    Balance,
    CancelResult,
    EntryError,
    OrderRequest,
    OrderState,
    OrderStatus,
    OrderType,
    RefillState,
    RefillStatus,
    Service,
)

__all__ = [
    "Balance", "CancelResult", "EntryError", "InvalidOrder", "OrderRequest", "OrderState", "OrderStatus",
    "OrderType", "OutcomeUnknown", "PanelClient", "PanelError", "PanelHub", "PanelRateLimited",
    "PanelRefused", "PanelUnavailable", "RefillState", "RefillStatus", "RefusalKind", "Service",
]
