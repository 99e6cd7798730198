"""The Celery app, configured from Django settings under the CELERY_ namespace."""

import os

from amqp.exceptions import ChannelError
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waitroom.settings")

app = Celery("waitroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def broker_backlog() -> int | None:
    """How many tasks the broker still holds: waiting in the default queue, or handed to a worker
    and not yet acknowledged (acks are late). None when it cannot tell (tasks run in-process, a
    broker other than Redis, or Redis not answering).

    The dispatcher compares this with the messages it queued and that are still pending: fewer
    tasks than that means the broker lost some (FLUSHALL, a restart without persistence, a
    process killed while publishing), and it queues them again at once.
    """
    if app.conf.task_always_eager:
        return None
    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            unacked_key = getattr(channel, "unacked_key", None)
            if unacked_key is None:
                return None
            try:
                queued = channel.queue_declare(
                    app.conf.task_default_queue, passive=True
                ).message_count
            except ChannelError:
                queued = 0  # no such queue: the broker was flushed or restarted empty
            return int(queued) + int(channel.client.hlen(unacked_key))
    except Exception:  # noqa: BLE001 - cannot tell: the dispatcher falls back to its long window
        return None
