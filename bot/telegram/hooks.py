"""Per-Application plug lists: where one feature leaves callbacks for another to call.

A feature that lets others extend it names a list and gives it a typed accessor, e.g.
balance.balance_extra_buttons(application); others append to it in their register(application, settings),
and the owner reads it through `context.application`. The lists live in the Application's bot_data
(not persisted, see bot/telegram/persistence.py), so two Applications in one process (tests) never
share each other's hooks. Order is the order of appending, i.e. FEATURES order.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

HOOKS_KEY = "hooks"


def hooks(application: Application[Any, Any, Any, Any, Any, Any], name: str) -> list[Any]:
    """This Application's list of `name` hooks, created empty on first use."""
    registry: dict[str, list[Any]] = application.bot_data.setdefault(HOOKS_KEY, {})
    return registry.setdefault(name, [])
