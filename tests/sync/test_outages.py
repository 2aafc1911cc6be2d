"""A panel that is down: skipped with backoff, reported once down and once back up; the others go on."""

from __future__ import annotations

from bot.domain.sync import StatusSync
from bot.domain.sync_events import PanelDown, PanelUp
from bot.storage import panel_state
from tests.sync.support import track_many, track_order


async def test_one_panel_down_does_not_stop_the_others_pushes_and_is_reported_once(
        db, panel, second, hub, sync, notifier):
    main_ids = [await track_order(db, panel) for _ in range(5)]
    await track_order(db, second, "second", user_id=2)
    await second.stop()  # connection refused from now on
    asked_second = []
    for cycle, (order_id, panel_id) in enumerate(main_ids):
        panel.complete(panel_id)
        report = await sync.run_cycle(db, hub, notifier)
        assert [u.order_id for u in notifier.orders][-1] == order_id, f"cycle {cycle}: main's push"
        asked_second.append(not report.panel("second").skipped)
    assert len(notifier.orders) == 5
    (down,) = notifier.alerts_of(PanelDown)  # five cycles, one report
    assert down.panel == "second" and "connect" in down.error
    # backoff: asked in cycle 1, 2, then skips 1, then 3 ...
    assert asked_second == [True, True, False, True, False]
    state = await panel_state.get(db.conn, "second")
    assert state.down_since is not None and state.down_alerted and state.last_error
    assert (await panel_state.get(db.conn, "main")).last_error is None

    await second.start()  # same port: the panel is back
    second.complete(next(iter(second.orders)))
    for _ in range(8):
        report = await sync.run_cycle(db, hub, notifier)
        if not report.panel("second").skipped:
            break
    (up,) = notifier.alerts_of(PanelUp)
    assert up.panel == "second" and up.down_since == state.down_since
    assert notifier.orders[-1].user_id == 2 and notifier.orders[-1].kind == "completed"
    await sync.run_cycle(db, hub, notifier)
    assert len(notifier.alerts_of(PanelUp)) == 1 and len(notifier.alerts_of(PanelDown)) == 1
    assert not (await panel_state.get(db.conn, "second")).down_alerted


async def test_down_alert_is_not_repeated_after_a_restart(db, panel, second, hub, notifier):
    await track_order(db, second, "second")
    await second.stop()
    await StatusSync(concurrency=1, miss_alert=3, poll_seconds=60).run_cycle(db, hub, notifier)
    # a new process: fresh backoff, but panel_state remembers the outage was reported
    await StatusSync(concurrency=1, miss_alert=3, poll_seconds=60).run_cycle(db, hub, notifier)
    assert len(notifier.alerts_of(PanelDown)) == 1


async def test_a_refused_key_counts_as_down_with_the_panels_words(db, panel, hub, sync, notifier):
    await track_order(db, panel)
    panel.key = "rotated-key-0000000000"  # our key is no longer accepted
    report = await sync.run_cycle(db, hub, notifier)
    assert report.panel("main").error is not None
    (down,) = notifier.alerts_of(PanelDown)
    assert "Invalid API key" in down.error and "main-key" not in down.error


async def test_one_failed_batch_is_not_an_outage_and_not_a_miss(db, panel, hub, notifier):
    await track_many(db, panel, "main", 150)
    sync = StatusSync(concurrency=1, miss_alert=1, poll_seconds=60)  # one at a time: the first batch fails
    panel.inject("status_multi", "html502", times=2)  # the request and its one retry
    report = await sync.run_cycle(db, hub, notifier)
    main = report.panel("main")
    assert (main.requests, main.failed_batches, main.error, main.misses) == (2, 1, None, 0)
    assert notifier.alerts == []
