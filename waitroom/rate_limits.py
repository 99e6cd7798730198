"""Counting attempts per client in the shared cache (Redis), for limits allauth does not cover.

A `Limit` allows `count` attempts per client address in a window of `seconds` that starts with
the first attempt. Check `reached()` before answering at all, so that once the limit is reached
a right guess and a wrong one get the same answer, and `spend()` for each attempt that counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from .client_address import client_address


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int

    def _key(self, request: HttpRequest) -> str:
        # The cache holds a digest, not the address itself.
        who = hashlib.sha256((client_address(request) or "unknown").encode()).hexdigest()[:32]
        return f"waitroom:limit:{self.scope}:{who}"

    def reached(self, request: HttpRequest) -> bool:
        return (cache.get(self._key(request)) or 0) >= self.count

    def spend(self, request: HttpRequest) -> None:
        key = self._key(request)
        # add() starts the window only if none is running; incr() is atomic in Redis.
        cache.add(key, 0, timeout=self.seconds)
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(key, 1, timeout=self.seconds)
