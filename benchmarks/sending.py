"""Exactly once under faults (issue 15): each case sends BENCH_DUE invitation emails through real
Celery workers and a real beat (subprocesses) on the Redis database from REDIS_URL, the real
notifications-python-client, and the loopback fake Notify (which logs every request), then
prints per case: due / received distinct / received total / duplicates / lost / seconds to settle.

Run (PostgreSQL and Redis up; it makes and migrates its own database, <name>_sending_bench,
next to the one DATABASE_URL names, afresh each run, and flushes only the Redis database
REDIS_URL names):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt5 REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python benchmarks/sending.py [case ...]

Production defaults throughout (rate limit 2,940 a minute, retry base 30 s, beat dispatching every
minute and planning every five), except three windows shortened so a run ends in minutes, each
overridable: a claim is stale after BENCH_STALE_CLAIM_SECONDS (20; production 300), a queued
row whose task vanished with a killed worker is queued again after BENCH_REQUEUE_AFTER_SECONDS
(60; production 600), and the Notify client gives up after BENCH_NOTIFY_TIMEOUT_SECONDS (2;
production 10). BENCH_RATE_PER_MINUTE raises the rate limit to measure the sender itself.
The shared Redis cannot be restarted or FLUSHALLed without hurting other users of
it, so "broker lost" is a FLUSHDB of this run's database, which is what a restart without
persistence does to it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL:
    raise SystemExit("Set REDIS_URL (your Redis database), as for the tests.")
_db = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waitroom"))
DB_URL = urlunparse(_db._replace(path=f"{_db.path.rstrip('/')}_sending_bench"))
DUE = int(os.environ.get("BENCH_DUE", "2200"))
CASE_TIMEOUT = float(os.environ.get("BENCH_CASE_TIMEOUT", "420"))
NOTIFY_TIMEOUT = float(os.environ.get("BENCH_NOTIFY_TIMEOUT_SECONDS", "2"))
SETTLE_GRACE = 5.0  # after the last message arrives, how long to watch for duplicates

os.environ.update(
    DJANGO_SETTINGS_MODULE="waitroom.settings",
    DEBUG="true",
    DATABASE_URL=DB_URL,
    REDIS_URL=REDIS_URL,
    MESSAGE_CHANNEL="notify",
    MESSAGE_STALE_CLAIM_SECONDS=os.environ.get("BENCH_STALE_CLAIM_SECONDS", "20"),
    MESSAGE_REQUEUE_AFTER_SECONDS=os.environ.get("BENCH_REQUEUE_AFTER_SECONDS", "60"),
    NOTIFY_TIMEOUT_SECONDS=str(NOTIFY_TIMEOUT),
    LOG_LEVEL="WARNING",
)
if os.environ.get("BENCH_RATE_PER_MINUTE"):  # to measure the machinery rather than the limit
    os.environ["MESSAGE_RATE_PER_MINUTE"] = os.environ["BENCH_RATE_PER_MINUTE"]

from benchmarks.harness import (  # noqa: E402
    database_created,
    fake_notify_started,
    session_with_women,
)

fake = fake_notify_started(keep_alive=True)  # HTTP/1.1 keep-alive, as Notify

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from sessions.invitations import tasks  # noqa: E402
from sessions.invitations.models import Message, MessageKind, MessageStatus  # noqa: E402
from sessions.invitations.planner import plan_invitations_for_session  # noqa: E402
from sessions.invitations.sending import messages_dispatch  # noqa: E402
from tests.waiting import wait_until  # noqa: E402
from waitroom.celery import app  # noqa: E402

CELERY = str(Path(sys.executable).parent / "celery")
LOGS = Path(tempfile.mkdtemp(prefix="waitroom-sending-bench-"))


# -- processes ----------------------------------------------------------------------------------


def _spawn(args: list[str], log: str) -> subprocess.Popen:
    return subprocess.Popen(
        [CELERY, "-A", "waitroom", "-b", REDIS_URL, *args],
        cwd=ROOT,
        env=dict(os.environ),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(LOGS / log, "ab"),  # noqa: SIM115 - the child owns it
    )


def start_worker(n: int) -> subprocess.Popen:
    return _spawn(
        [
            "worker",
            "-P",
            "prefork",
            "-c",
            os.environ.get("BENCH_CONCURRENCY", "4"),
            "-n",
            f"bench{n}-{time.monotonic_ns()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        f"worker{n}.log",
    )


def start_beat(n: int) -> subprocess.Popen:
    schedule = LOGS / f"beat{n}-{time.monotonic_ns()}"
    return _spawn(["beat", "-s", str(schedule), "--pidfile=", "-l", "WARNING"], f"beat{n}.log")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# -- one case -----------------------------------------------------------------------------------


def make_session(size: int) -> tuple[int, set[str]]:
    """A published session three days ahead with `size` women (email only), planned now: each
    has one invitation due at once. Returns the session id and the references to expect."""
    session = session_with_women(size, tag="S")
    result = plan_invitations_for_session(session.pk)
    assert result.invited == size, result
    messages = Message.objects.filter(invitation__session=session, kind=MessageKind.INVITATION)
    return session.pk, {m.reference for m in messages}


@dataclass
class Case:
    name: str
    workers: int = 1
    beats: int = 1
    rolling: bool = False  # due times spread over a minute, the planner running meanwhile
    kick: bool = True  # queue a dispatch at once (the planner's on-change kick)
    publish_kill: bool = False  # the first dispatch dies a third of the way through publishing
    before: object = None  # callable(ctx) run before sending starts
    at_third: object = None  # callable(ctx) run once a third has arrived
    notes: list[str] = field(default_factory=list)


@dataclass
class Context:
    session_id: int
    workers: list[subprocess.Popen]
    beats: list[subprocess.Popen]


def received(refs: set[str]) -> tuple[int, int]:
    mine = [r for r in fake.references() if r in refs]
    return len(set(mine)), len(mine)


def run(case: Case) -> dict:
    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's Redis database only
    session_id, refs = make_session(DUE)
    if case.rolling:
        now = timezone.now()
        for i, message in enumerate(
            Message.objects.filter(invitation__session_id=session_id, kind=MessageKind.INVITATION)
        ):
            Message.objects.filter(pk=message.pk).update(due_at=now + dt.timedelta(seconds=i % 60))
    ctx = Context(session_id, [start_worker(n) for n in range(case.workers)], [])
    stop_planning = threading.Event()
    started = time.monotonic()
    try:
        if case.before:
            case.before(ctx)
        if case.publish_kill:
            real_delay = tasks.send_batch.delay
            published = []

            def delay_then_die(message_ids: list[int]) -> None:
                if len(published) >= DUE // 3:
                    raise SystemExit("killed while publishing")
                published.extend(message_ids)
                real_delay(message_ids)

            tasks.send_batch.delay = delay_then_die
            try:
                messages_dispatch()
            except SystemExit:
                pass
            finally:
                del tasks.send_batch.delay
        elif case.kick:
            tasks.dispatch_due.delay()
        ctx.beats = [start_beat(n) for n in range(case.beats)]
        if case.rolling:

            def planner_loop() -> None:
                while not stop_planning.wait(2.0):
                    plan_invitations_for_session(session_id)
                connection.close()

            threading.Thread(target=planner_loop, daemon=True).start()
        third_done = case.at_third is None
        settled_at = None

        def settled() -> bool:
            """Run the fault once a third has arrived; true once all have arrived and the
            duplicate-watching grace has passed (the beats keep ticking, so the workers are
            never idle: the grace is the measurement window, not a guess at a delay)."""
            nonlocal third_done, settled_at
            distinct, _ = received(refs)
            if not third_done and distinct >= DUE // 3:
                case.at_third(ctx)
                third_done = True
            if distinct >= DUE and settled_at is None:
                settled_at = time.monotonic()
            return bool(settled_at and time.monotonic() - settled_at >= SETTLE_GRACE)

        wait_until(settled, timeout=CASE_TIMEOUT - (time.monotonic() - started), every=0.2)
    finally:
        stop_planning.set()
        for process in ctx.workers + ctx.beats:
            stop(process)
    distinct, total = received(refs)
    span = fake.acceptance_span(refs)
    sent_rows = Message.objects.filter(
        invitation__session_id=session_id,
        kind=MessageKind.INVITATION,
        status=MessageStatus.SENT,
    ).count()
    return {
        "case": case.name,
        "due": DUE,
        "distinct": distinct,
        "total": total,
        "duplicates": total - distinct,
        "lost": DUE - distinct,
        "sent_rows": sent_rows,
        "seconds": (settled_at or time.monotonic()) - started,
        # From Notify's first acceptance to its last: the sender's own rate, without start-up.
        "per_second": distinct / (span[1] - span[0]) if span and span[1] > span[0] else 0.0,
    }


# -- the fault matrix ---------------------------------------------------------------------------


def kill_and_restart_worker(ctx: Context) -> None:
    stop(ctx.workers[0], signal.SIGKILL)
    ctx.workers[0] = start_worker(0)


def flush_broker(ctx: Context) -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()


def refuse_for_ten_seconds(ctx: Context) -> None:
    fake.refuse_connections()
    threading.Timer(10.0, fake.accept_connections).start()


CASES = {
    "baseline": Case("baseline"),
    "rolling": Case("rolling due times, planner running", rolling=True),
    "two-workers": Case("two workers racing the same rows", workers=2),
    "kill-worker": Case("kill -9 of the worker mid-batch", at_third=kill_and_restart_worker),
    "kill-publish": Case("kill inside the on-commit publish loop", publish_kill=True),
    "flush": Case("broker flushed mid-run (FLUSHDB)", at_third=flush_broker),
    "redis-restart": Case(
        "broker emptied before sending (Redis restart)",
        kick=True,
        before=lambda ctx: (messages_dispatch(), flush_broker(ctx)),
    ),
    "429": Case("429 for 30 s", before=lambda ctx: fake.fail_for(30, 429)),
    "500": Case(
        "500s for 10 s, and 50 taken then answered 500",
        before=lambda ctx: (fake.fail_for(10, 500), fake.fail_next_after_accepting(*[500] * 50)),
    ),
    "refused": Case("connection refused for 10 s", at_third=refuse_for_ten_seconds),
    "slow": Case(
        "replies slower than the timeout for 10 s",
        before=lambda ctx: fake.slow_for(10, NOTIFY_TIMEOUT + 1),
    ),
    "two-beats": Case("two beats, rolling due times", beats=2, rolling=True, kick=False),
}


def main() -> None:
    database_created(afresh=True)  # this benchmark's own database, fresh each run
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    names = sys.argv[1:] or list(CASES)
    rows = []
    try:
        for name in names:
            row = run(CASES[name])
            rows.append(row)
            print(
                f"{row['case']:<48} due {row['due']:>5}  distinct {row['distinct']:>5}  "
                f"total {row['total']:>5}  dup {row['duplicates']:>3}  lost {row['lost']:>4}  "
                f"{row['seconds']:>6.1f} s  {row['per_second']:>6.0f}/s",
                flush=True,
            )
    finally:
        fake.stop()
    print(f"\nlogs: {LOGS}")
    print(
        "| case | due | received distinct | received total | duplicates | lost | seconds "
        "| sent a second |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['case']} | {row['due']} | {row['distinct']} | {row['total']} | "
            f"{row['duplicates']} | {row['lost']} | {row['seconds']:.0f} | "
            f"{row['per_second']:.0f} |"
        )


if __name__ == "__main__":
    main()
