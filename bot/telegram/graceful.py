"""Stopping the Application within a grace period, then closing it (used by bot/telegram/serve.py).

PTB's `Application.stop()` waits, without limit, for the updates already received, for tasks
of non-blocking handlers and for running jobs. `stop_gracefully` gives it `grace` seconds; past
that it writes persistence (so what did finish is kept), cancels what still runs and waits a
moment for the cancelled code to clean up: CancelledError lands at the await in progress, a
Database transaction rolls back whole, an order waiting on `add` is marked unknown
(bot/domain/ordering.py). The database is closed only afterwards (`close`), so that clean-up
can still write.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from typing import Any

from telegram.ext import Application

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
INTERRUPT_WAIT_SECONDS = 3.0  # for cancelled handlers and jobs to run their clean-up


def unfinished_work(application: AnyApplication) -> list[asyncio.Future[Any]]:
    """What Application.stop() is waiting for: the update being handled, non-blocking handlers, jobs.

    PTB lists these only in private attributes; tests/deploy/test_graceful.py fails if they move.
    """
    work: list[asyncio.Future[Any]] = []
    fetcher = getattr(application, "_Application__update_fetcher_task", None)
    if fetcher is not None:
        work.append(fetcher)
    work.extend(getattr(application, "_Application__create_task_tasks", ()))
    work.extend(running_jobs(application))
    return [item for item in work if not item.done()]


def running_jobs(application: AnyApplication) -> list[asyncio.Task[Any]]:
    """The callbacks of this application's jobs running now.

    PTB's Job.run awaits `asyncio.shield(Job._run(...))` so that the scheduler cannot cancel a
    job mid-run; cancelling the scheduler's future would leave the callback running against a
    closed database, so the shielded tasks themselves are found by their coroutine.
    """
    found = []
    for task in asyncio.all_tasks():
        coro = task.get_coro()
        frame = getattr(coro, "cr_frame", None)
        if (getattr(coro, "__qualname__", "") == "Job._run" and frame is not None
                and frame.f_locals.get("application") is application):
            found.append(task)
    return found


async def _done_within(task: asyncio.Future[Any], seconds: float, hurry: asyncio.Event | None) -> bool:
    """Wait up to `seconds` for task (less if `hurry` is set meanwhile); whether it is done."""
    waiters: set[asyncio.Future[Any]] = {task}
    hurried = asyncio.ensure_future(hurry.wait()) if hurry is not None else None
    if hurried is not None:
        waiters.add(hurried)
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if hurried is not None:
            hurried.cancel()
    return task.done()


async def stop_gracefully(application: AnyApplication, grace: float, *,
                          hurry: asyncio.Event | None = None) -> bool:
    """Stop taking updates, let work in progress finish for up to `grace` s, then cancel the rest.

    True when everything finished by itself, False when something had to be interrupted.
    """
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if not application.running:
        return True
    stopping = asyncio.create_task(application.stop(), name="graceful stop")
    try:
        return await _stop_within(application, stopping, grace, hurry)
    finally:
        if application.post_stop:
            await application.post_stop(application)


async def _stop_within(application: AnyApplication, stopping: asyncio.Task[None], grace: float,
                       hurry: asyncio.Event | None) -> bool:
    """Wait for the stop task within the grace; past it, interrupt the work it waits for."""
    if await _done_within(stopping, grace, hurry):
        stopping.result()
        return True
    await application.update_persistence()  # keep what did finish before anything is cancelled
    work = unfinished_work(application)
    log.warning("work still in progress after the %gs grace: interrupting %d task(s)", grace, len(work))
    for item in work:
        item.cancel()
    await asyncio.wait([stopping, *work], timeout=INTERRUPT_WAIT_SECONDS)
    if not stopping.done():  # something ignores cancellation; stop waiting for it
        stopping.cancel()
        await asyncio.wait([stopping], timeout=INTERRUPT_WAIT_SECONDS)
    if stopping.cancelled() or not stopping.done():
        await _finish_aborted_stop(application)
    elif stopping.exception() is not None:
        log.error("stopping the application failed", exc_info=stopping.exception())
    return False


async def _finish_aborted_stop(application: AnyApplication) -> None:
    """stop() ends early when the update it was waiting for is cancelled: do the steps it skipped."""
    persistence_loop = getattr(application, "_Application__update_persistence_task", None)
    if persistence_loop is not None and not persistence_loop.done():
        persistence_loop.cancel()  # shutdown() writes persistence once more instead
        await asyncio.wait([persistence_loop], timeout=INTERRUPT_WAIT_SECONDS)
    job_queue = application.job_queue
    if job_queue is not None and job_queue.scheduler.running:
        await job_queue.stop(wait=False)


async def close(application: AnyApplication) -> None:
    """shutdown (the last persistence write), then post_shutdown even when shutdown failed."""
    try:
        await application.shutdown()
    except asyncio.CancelledError as exc:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
        # PTB re-raises the CancelledError of an interrupted non-blocking conversation step
        # while writing its state; that step's change is lost, everything else was written
        # just before the interruption (stop_gracefully)
        log.warning("the last persistence write stopped at an interrupted conversation step")
        _drop_unawaited_writes(exc)
        if application.persistence is not None:
            await application.persistence.flush()
    finally:
        if application.post_shutdown:
            await application.post_shutdown(application)


def _drop_unawaited_writes(exc: BaseException) -> None:
    """Free the write coroutines PTB created and then abandoned, without a warning for each.

    They live in the frames of exc's traceback; they repeat what was written just before.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        exc.__traceback__ = None
        gc.collect()
