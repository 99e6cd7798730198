"""A send-rate limiter shared by every worker through Redis.

GOV.UK Notify allows 3,000 messages a minute per API key. Counting per second (limit / 60 in each
one-second bucket) keeps every rolling minute under the limit, however many workers send, and
spreads a burst instead of spending the minute's allowance in its first second.

When Notify answers 429 anyway (its limit is per key, and another system may share the key), the
sender pauses the whole queue for a while (`rate_limit_pause`): every worker waits, instead of
each queued message meeting the 429 once.
"""

from __future__ import annotations

import threading
import time
from functools import cache

import redis
from django.conf import settings

_local_lock = threading.Lock()
_local_counts: dict[int, int] = {}
_local_pauses: dict[str, float] = {}


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5)


def _count_this_second(name: str, second: int) -> int:
    url = settings.REDIS_URL
    if not url:
        # No Redis (the in-process demo): one process, so a local count is shared enough.
        with _local_lock:
            for old in [s for s in _local_counts if s < second]:
                del _local_counts[old]
            _local_counts[second] = _local_counts.get(second, 0) + 1
            return _local_counts[second]
    key = f"waitroom:rate:{name}:{second}"
    pipe = _redis(url).pipeline()
    pipe.incr(key)
    pipe.expire(key, 5)
    count, _ = pipe.execute()
    return int(count)


def _pause_key(name: str) -> str:
    return f"waitroom:rate:{name}:paused-until"


def rate_limit_pause(name: str = "notify", *, seconds: float) -> None:
    """Hold every sender back for `seconds` (the provider said 429)."""
    until = time.time() + seconds
    url = settings.REDIS_URL
    if not url:
        with _local_lock:
            _local_pauses[name] = max(until, _local_pauses.get(name, 0.0))
        return
    _redis(url).set(_pause_key(name), repr(until), ex=max(1, int(seconds) + 1))


def _paused_for(name: str) -> float:
    url = settings.REDIS_URL
    if not url:
        with _local_lock:
            until = _local_pauses.get(name, 0.0)
    else:
        raw = _redis(url).get(_pause_key(name))
        until = float(raw) if raw else 0.0
    return max(0.0, until - time.time())


def rate_limit_wait(name: str = "notify", *, per_minute: int | None = None) -> float:
    """Take one send from this second's allowance: 0.0 if taken, else seconds to wait."""
    paused = _paused_for(name)
    if paused:
        return paused
    limit = max(1, (per_minute or settings.MESSAGE_RATE_PER_MINUTE) // 60)
    now = time.time()
    second = int(now)
    if _count_this_second(name, second) <= limit:
        return 0.0
    return (second + 1) - now


def _take_this_second(name: str, second: int, count: int, limit: int) -> int:
    """Take up to `count` sends from this second's allowance; how many were granted."""
    url = settings.REDIS_URL
    if not url:
        with _local_lock:
            for old in [s for s in _local_counts if s < second]:
                del _local_counts[old]
            used = _local_counts.get(second, 0)
            granted = max(0, min(count, limit - used))
            _local_counts[second] = used + granted
            return granted
    key = f"waitroom:rate:{name}:{second}"
    client = _redis(url)
    pipe = client.pipeline()
    pipe.incrby(key, count)
    pipe.expire(key, 5)
    total, _ = pipe.execute()
    # Everything counted before this take (others' excess included) is spent: never over-grants.
    granted = max(0, min(count, limit - (int(total) - count)))
    if granted < count:
        client.decrby(key, count - granted)
    return granted


def rate_limit_take(name: str = "notify", *, count: int) -> tuple[int, float]:
    """Take up to `count` sends at once (the batch sender): how many were granted, and when
    none were, how many seconds to wait before asking again (a 429 pause, or the next second)."""
    paused = _paused_for(name)
    if paused:
        return 0, paused
    limit = max(1, settings.MESSAGE_RATE_PER_MINUTE // 60)
    now = time.time()
    granted = _take_this_second(name, int(now), count, limit)
    return granted, 0.0 if granted else (int(now) + 1) - now


def rate_limit_acquire(name: str = "notify", *, max_wait: float = 10.0) -> bool:
    """Wait (briefly) for a slot; False when none came within `max_wait` seconds."""
    deadline = time.monotonic() + max_wait
    while True:
        wait = rate_limit_wait(name)
        if wait == 0.0:
            return True
        if time.monotonic() + wait > deadline:
            return False
        time.sleep(wait)
