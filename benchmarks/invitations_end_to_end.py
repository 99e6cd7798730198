"""Plan and send 1,000 and 10,000 invitations through the real Redis broker, a real Celery worker
(a subprocess) and the loopback fake Notify, through the real notifications-python-client.

Run (PostgreSQL and Redis up; uses its own database `waitroom_bench_f` and, as broker and cache,
the Redis database REDIS_URL names, which it flushes: give it one nothing else uses):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waitroom_bench_f \
        REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python benchmarks/invitations_end_to_end.py

Prints planner seconds and end-to-end messages per second for each size. The send rate is capped
by MESSAGE_RATE_PER_MINUTE (2,940 a minute in production, under Notify's 3,000): the benchmark
raises it so it measures the machinery, and says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BROKER = os.environ.get("REDIS_URL", "")
if not BROKER:
    raise SystemExit("Set REDIS_URL (your Redis database), as for the tests.")
DB_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waitroom_bench_f")
os.environ.update(
    DJANGO_SETTINGS_MODULE="waitroom.settings",
    DEBUG="true",
    DATABASE_URL=DB_URL,
    REDIS_URL=BROKER,
    MESSAGE_CHANNEL="notify",
    MESSAGE_RATE_PER_MINUTE="600000",
    LOG_LEVEL="WARNING",
)

from benchmarks.harness import database_created, fake_notify_started, session_with_women  # noqa

fake = fake_notify_started()

import django  # noqa: E402

django.setup()

import redis  # noqa: E402

from sessions.invitations.models import Message, MessageKind, MessageStatus  # noqa: E402
from sessions.invitations.planner import plan_invitations_for_session  # noqa: E402
from tests.waiting import celery_idle, wait_until  # noqa: E402
from waitroom.celery import app  # noqa: E402


def run(size: int) -> dict:
    session = session_with_women(size, tag="B")
    started = time.perf_counter()
    result = plan_invitations_for_session(session.pk)
    planner_seconds = time.perf_counter() - started
    assert result.invited == size, result
    fake.accepted.clear()
    started = time.perf_counter()
    from sessions.invitations.tasks import dispatch_due

    dispatch_due.delay()
    if not wait_until(lambda: len(fake.accepted) >= size, timeout=900, every=0.2):
        raise SystemExit("timed out")
    elapsed = time.perf_counter() - started
    sent = Message.objects.filter(invitation__session=session, kind=MessageKind.INVITATION)
    if not wait_until(celery_idle(app), timeout=120):  # every mark-sent written, no extra send
        raise SystemExit("the worker never went idle")
    refs = fake.references()
    assert len(refs) == len(set(refs)) == size
    return {
        "size": size,
        "planner_s": planner_seconds,
        "send_s": elapsed,
        "per_s": size / elapsed,
        "sent_rows": sent.filter(status=MessageStatus.SENT).count(),
    }


def main() -> None:
    database_created(afresh=False)
    redis.Redis.from_url(BROKER).flushdb()
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    concurrency = os.environ.get("BENCH_CONCURRENCY", "8")
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "waitroom",
            "-b",
            BROKER,
            "worker",
            "-P",
            "prefork",
            "-c",
            concurrency,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_until(lambda: app.control.ping(timeout=0.5), timeout=60):
            raise SystemExit("the worker never answered")
        rows = [run(1000), run(10000)]
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        fake.stop()
    print(f"worker: prefork, concurrency {concurrency}; rate limit raised to 600,000/min")
    for row in rows:
        print(
            f"{row['size']:>6} invitations: planner {row['planner_s']:.2f} s, "
            f"send {row['send_s']:.1f} s, {row['per_s']:.0f} messages/s end to end"
        )


if __name__ == "__main__":
    main()
