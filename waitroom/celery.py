"""The Celery app, configured from Django settings under the CELERY_ namespace."""

import base64
import json
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waitroom.settings")

app = Celery("waitroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def broker_held_tasks() -> list[tuple[str, list]] | None:
    """The tasks the broker still holds, as (task name, positional arguments): waiting in the
    default queue, or handed to a worker and not yet acknowledged (acks are late). None when it
    cannot tell (tasks run in-process, a broker other than Redis, or Redis not answering).

    The dispatcher counts the messages these tasks carry and compares that with the messages it
    queued and that are still pending: fewer means the broker lost some (FLUSHALL, a restart
    without persistence, a process killed while publishing), and it queues them again at once.
    """
    if app.conf.task_always_eager:
        return None
    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            unacked_key = getattr(channel, "unacked_key", None)
            if unacked_key is None:
                return None
            client = channel.client
            raw = list(client.lrange(app.conf.task_default_queue, 0, -1))
            raw += [json.loads(item)[0] for item in client.hvals(unacked_key)]
            return [_task_of(item) for item in raw]
    except Exception:  # noqa: BLE001 - cannot tell: the dispatcher falls back to its long window
        return None


def _task_of(item: bytes | str | dict) -> tuple[str, list]:
    """(name, args) of one task message as kombu's Redis transport stores it (JSON body)."""
    message = json.loads(item) if isinstance(item, bytes | str) else item
    body = message["body"]
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]
    return message.get("headers", {}).get("task", ""), list(args)
