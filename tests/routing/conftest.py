"""Fixtures of the routing tests: three fake panels over real HTTP, each selling "the same" followers
under its own id and rate, one PanelHub over them, and the shop's catalogue loaded from all three.
`db` runs on SQLite and PostgreSQL (tests/dbs.py), `hub_for` is tests/conftest.py's; `hub` is overridden for the three panels."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from bot.domain import wallet
from bot.domain.catalogue import refresh_catalogue
from bot.domain.routing_admin import RouteSpec, define
from bot.panel.hub import PanelHub
from bot.panel.models import OrderRequest
from bot.storage.db import Database
from bot.storage.routes import Member
from tests import dbs
from tests.conftest import hub_for
from tests.fakes.panel_server import DEFAULT_SERVICES, FakePanel

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

# the followers service of each panel: its id there and its rate per 1000
FOLLOWERS = {"main": ("112", "0.90"), "backup": ("134", "0.80"), "third": ("107", "1.20")}
DIALECTS = {"main": "folgen", "backup": "server", "third": "sofia"}
MARKUP = Decimal(10)
PRICE = 990_000  # main's 0.90 per 1000 × 1000, +10 % markup: what the customer confirms
REQUEST = OrderRequest(service="112", link="https://instagram.com/p/abc", quantity=1000)
MEMBERS = [Member("main", "112"), Member("backup", "134"), Member("third", "107")]


def catalogue_of(name: str, *, rate: str | None = None, max_: int | None = None) -> list[dict]:
    """DEFAULT_SERVICES with the followers service under this panel's id, rate and (optionally) max."""
    services = copy.deepcopy(DEFAULT_SERVICES)
    sid, own_rate = FOLLOWERS[name]
    services[0].update(service=int(sid), rate=rate or own_rate, name=f"Instagram Followers Real {name}")
    if max_ is not None:
        services[0]["max"] = max_
    return services


@pytest.fixture
async def fakes():
    panels = {name: FakePanel(dialect=DIALECTS[name], key=f"{name}-key-0123456789", services=catalogue_of(name))
              for name in FOLLOWERS}
    for panel in panels.values():
        await panel.start()
    yield panels
    for panel in panels.values():
        await panel.stop()


@pytest.fixture
async def hub(fakes):
    async with hub_for(fakes) as panels:
        yield panels


@pytest.fixture
async def shop(db, hub):
    """The database with all three catalogues loaded and 10.00 on customer 1's wallet."""
    report = await refresh_catalogue(db, hub)
    assert report.ok, report
    await wallet.credit(db, 1, 10_000_000)
    return db


async def make_route(db: Database, hub: PanelHub, *, policy: str = "priority", allow_loss: bool = False,
                     members: list[Member] | None = None, name: str = "followers"):
    return await define(db, hub, RouteSpec(name, policy, allow_loss, members or MEMBERS), actor=99)


def adds(fakes: dict[str, FakePanel]) -> dict[str, int]:
    """How many `add` requests each fake panel received."""
    return {name: panel.requests["add"] for name, panel in fakes.items()}
