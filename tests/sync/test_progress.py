"""Drip-feed runs and subscription posts: progress is news even when the status stays the same."""

from __future__ import annotations

import pytest

from bot.domain.sync_events import PROGRESS_POSTS, PROGRESS_RUNS
from bot.panel.models import OrderType
from tests.conftest import hub_for
from tests.fakes.panel_server import FakePanel
from tests.sync.support import track_order


@pytest.fixture
async def proxy():
    """Doc 002's panel: drip-feed orders answer {"status", "runs"}."""
    async with FakePanel(dialect="proxy", key="proxy-key-0123456789") as fake:
        async with hub_for({"main": fake}) as panels:
            yield fake, panels


async def test_drip_feed_runs_are_pushed_as_they_move(db, proxy, sync, notifier):
    fake, hub = proxy
    order_id, panel_id = await track_order(db, fake, extras={"runs": 5, "interval": 30})
    fake.orders[panel_id].runs = 5
    fake.set_status(panel_id, "In progress", runs=1)
    await sync.run_cycle(db, hub, notifier)
    fake.set_status(panel_id, "In progress", runs=2)
    await sync.run_cycle(db, hub, notifier)
    await sync.run_cycle(db, hub, notifier)  # unchanged: nothing
    fake.set_status(panel_id, "Completed", runs=5)
    await sync.run_cycle(db, hub, notifier)
    assert [(u.kind, u.runs_done, u.runs_total) for u in notifier.orders] == [
        ("in_progress", 1, 5), (PROGRESS_RUNS, 2, 5), ("completed", 5, 5)]


async def test_subscription_posts_are_pushed_and_its_end_refunds_the_unserved_share(db, panel, hub, sync, notifier):
    order_id, panel_id = await track_order(db, panel, service="15", order_type=OrderType.SUBSCRIPTIONS,
                                           price=1_000_000, extras={"posts": 10, "min": 50, "max": 100},
                                           fake_status="Active")
    await sync.run_cycle(db, hub, notifier)
    panel.set_status(panel_id, "Active", posts=3)
    await sync.run_cycle(db, hub, notifier)
    panel.set_status(panel_id, "Expired", posts=6)
    await sync.run_cycle(db, hub, notifier)
    assert [(u.kind, u.posts_done, u.posts_total, u.refund) for u in notifier.orders] == [
        ("active", 0, 10, 0), (PROGRESS_POSTS, 3, 10, 0), ("expired", 6, 10, 400_000)]
