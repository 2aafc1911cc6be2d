"""The push queue: news per recipient coalesces, one delivery per recipient at a time, bounded, stoppable."""

from __future__ import annotations

import asyncio

from bot.telegram.sync_pushes import PushQueue


class Recorder:
    """A deliver() that records and can be held open."""

    def __init__(self) -> None:
        self.delivered: list[tuple[object, list]] = []
        self.active: set[object] = set()
        self.overlaps = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, key, items) -> None:
        if key in self.active:
            self.overlaps += 1
        self.active.add(key)
        try:
            await self.gate.wait()
            await asyncio.sleep(0)
            self.delivered.append((key, list(items)))
        finally:
            self.active.discard(key)


async def test_news_queued_during_a_delivery_goes_out_together_and_never_in_parallel() -> None:
    deliver = Recorder()
    queue = PushQueue(deliver, workers=4)
    deliver.gate.clear()
    await queue.put(1, "a")
    await asyncio.sleep(0.01)  # a worker holds user 1's first delivery open
    for item in ("b", "c", "d"):
        await queue.put(1, item)
    await queue.put(2, "x")
    await asyncio.sleep(0.01)
    deliver.gate.set()
    await queue.join()
    assert sorted(deliver.delivered, key=str) == sorted([(1, ["a"]), (1, ["b", "c", "d"]), (2, ["x"])], key=str)
    assert deliver.overlaps == 0 and len(queue) == 0


async def test_a_full_queue_makes_put_wait_instead_of_dropping() -> None:
    deliver = Recorder()
    deliver.gate.clear()
    queue = PushQueue(deliver, workers=1, limit=2)
    await queue.put(1, "a")
    await asyncio.sleep(0.01)  # taken by the worker: the queue has room for 2 again
    await queue.put(2, "b")
    await queue.put(3, "c")
    third = asyncio.create_task(queue.put(4, "d"))
    await asyncio.sleep(0.05)
    assert not third.done()  # back-pressure
    deliver.gate.set()
    await third
    await queue.join()
    assert [key for key, _ in deliver.delivered] == [1, 2, 3, 4]


async def test_nothing_is_delivered_until_the_bot_runs_and_a_stop_leaves_the_rest() -> None:
    deliver = Recorder()
    running = [False]
    queue = PushQueue(deliver, accepting=lambda: running[0])
    await queue.put(1, "queued before start")
    await asyncio.sleep(0.01)
    assert deliver.delivered == []
    running[0] = True
    queue.kick()
    await queue.join()
    assert deliver.delivered == [(1, ["queued before start"])]
    running[0] = False
    await queue.put(2, "after stop")
    await asyncio.sleep(0.01)
    assert len(deliver.delivered) == 1 and len(queue) == 1


async def test_a_failing_delivery_does_not_stop_the_others() -> None:
    seen = []

    async def deliver(key, items):
        if key == "bad":
            raise RuntimeError("boom")
        seen.append(key)

    queue = PushQueue(deliver, workers=1)
    await queue.put("bad", 1)
    await queue.put("good", 2)
    await queue.join()
    assert seen == ["good"]
