"""Waiting for a condition, never for a fixed time: the one place test code may sleep.

`wait_until` polls a predicate; `celery_idle` is the predicate for "the worker has nothing left
to do", which is what a "nothing was sent twice" assertion needs before it looks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import redis


def wait_until(condition: Callable[[], object], *, timeout: float = 30.0, every: float = 0.05):
    """Poll `condition` until it is truthy or `timeout` seconds pass; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(every)  # the polling interval, not a wait for something to happen


def _queued_on_broker(app) -> int:
    """Task messages waiting in the default queue (every priority list kombu keeps for it)."""
    client = redis.Redis.from_url(app.conf.broker_url)
    queue = app.conf.task_default_queue
    return sum(client.llen(key) for key in client.scan_iter(match=f"{queue}*", _type="list"))


def _worker_busy(app) -> bool | None:
    """True when a worker runs, holds or has scheduled a task; None when no worker answers."""
    inspect = app.control.inspect(timeout=1.0, limit=1)
    replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
    if any(reply is None for reply in replies):
        return None
    return any(tasks for reply in replies for tasks in reply.values())


def celery_idle(app) -> Callable[[], bool]:
    """A predicate for `wait_until`: the broker queue is empty and the worker has no task
    running, reserved or waiting on a countdown, twice in a row (a running task may publish
    another one between the two looks)."""
    quiet_looks = 0

    def idle() -> bool:
        nonlocal quiet_looks
        quiet = _queued_on_broker(app) == 0 and _worker_busy(app) is False
        quiet_looks = quiet_looks + 1 if quiet else 0
        return quiet_looks >= 2

    return idle
