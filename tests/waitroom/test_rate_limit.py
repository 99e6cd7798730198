"""The provider's rate limit is shared by every worker through Redis: batches taking many slots at
once, from many threads, never get more than the limit between them, and give back what they
could not use."""

import threading
import uuid

import redis
from django.conf import settings

from waitroom.messaging.ratelimit import _take_this_second

LIMIT = 50
THREADS = 16
TAKES_EACH = 20
BATCH = 7


def test_batches_racing_for_one_second_never_get_more_than_the_limit_between_them():
    name = f"race-{uuid.uuid4().hex}"
    second = 1_000_000  # one fixed second: every take competes for the same allowance
    granted: list[int] = []
    start = threading.Barrier(THREADS)

    def sender() -> None:
        start.wait()
        for _ in range(TAKES_EACH):
            granted.append(_take_this_second(name, second, BATCH, LIMIT))

    threads = [threading.Thread(target=sender) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(granted) <= LIMIT
    # What was asked for and not granted was given back: the counter holds only what was granted,
    # so the rest of the second's allowance is still there to take.
    counter = redis.Redis.from_url(settings.REDIS_URL).get(f"waitroom:rate:{name}:{second}")
    assert int(counter) == sum(granted)
    assert sum(granted) + _take_this_second(name, second, LIMIT, LIMIT) == LIMIT
