"""End to end on the real Redis broker (the Redis database from settings) with real Celery
workers, through the real notifications-python-client to the fake Notify server; and the faults
the issue lists."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from sessions.invitations.models import Invitation, Message, MessageKind, MessageStatus
from sessions.models import SessionStatus
from sessions.scheduling.services import session_publish
from tests.conftest import celery_on_broker
from tests.waiting import celery_idle, wait_until

from .conftest import LONDON, make_day
from .fake_notify import API_KEY, EMAIL_TEMPLATE, SMS_TEMPLATE
from .test_wording import problems

pytestmark = pytest.mark.django_db(transaction=True)


def broker_url() -> str:
    """This run's Redis database (settings.REDIS_URL), so parallel runs never share a broker."""
    from django.conf import settings

    return settings.REDIS_URL


ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout: float = 30.0, every: float = 0.1) -> bool:
    return bool(wait_until(condition, timeout=timeout, every=every))


def requeue_window_passed() -> bool:
    """Every unfinished message is due again: its claim is stale and its enqueue is older
    than the requeue window, so the dispatcher's next tick will queue it."""
    from django.conf import settings

    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.MESSAGE_STALE_CLAIM_SECONDS)
    requeue = now - dt.timedelta(seconds=settings.MESSAGE_REQUEUE_AFTER_SECONDS)
    unfinished = Message.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])
    return not (
        unfinished.filter(claimed_at__gte=stale).exists()
        or unfinished.filter(enqueued_at__gte=requeue).exists()
    )


@pytest.fixture
def broker(notify_mode, settings):
    settings.MESSAGE_STALE_CLAIM_SECONDS = 2
    settings.MESSAGE_REQUEUE_AFTER_SECONDS = 2
    client = redis.Redis.from_url(broker_url())
    client.flushdb()  # this broker db only: never the whole Redis
    # Worker threads close their database connection after each task.
    connection.settings_dict["CONN_MAX_AGE"] = 0
    with celery_on_broker(broker_url()) as app:
        yield app
    client.flushdb()


@pytest.fixture
def in_process_worker(broker):
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        broker, pool="threads", concurrency=4, perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker


def soon_day(clinic, **extra):
    """A session three days ahead at 10:00 London time: invitations are due at once."""
    day = (timezone.now().astimezone(LONDON) + dt.timedelta(days=3)).date()
    start = dt.datetime.combine(day, dt.time(10, 0), tzinfo=LONDON)
    return make_day(clinic, start, status=SessionStatus.DRAFT, **extra)


def email_women(day, count: int):
    # Email only: quiet hours hold texts back, and these tests must pass at any hour.
    return [day.woman(10, 5 + i % 30, consent_sms=False)[0] for i in range(count)]


def sent_invitation_refs() -> set[str]:
    return {
        m.reference
        for m in Message.objects.filter(kind=MessageKind.INVITATION, status=MessageStatus.SENT)
    }


def test_publishing_sends_each_eligible_woman_exactly_one_neutral_invitation(
    clinic, coordinator, in_process_worker, fake_notify
):
    day = soon_day(clinic)
    invited = email_women(day, 5)
    day.woman(15, 0, consent_sms=False)  # not in the waiting room then
    day.woman(10, 15, consent_sms=False, member=False)  # not in the group
    day.woman(10, 15, consent_sms=False, consent_email=False)  # no consent

    session_publish(session=day.session, by=coordinator)

    assert wait_for(lambda: len(fake_notify.accepted) >= 5, timeout=20)
    assert wait_for(celery_idle(in_process_worker.app), timeout=20)  # nothing extra can come
    emails = sorted(a["json"]["email_address"] for a in fake_notify.accepted)
    assert emails == sorted(w.email for w in invited)
    assert fake_notify.auth_failures == 0
    for accepted in fake_notify.accepted:
        body = accepted["json"]["personalisation"]["body"]
        invitation = Invitation.objects.select_related("session__clinic", "patient").get(
            patient__email=accepted["json"]["email_address"]
        )
        assert not problems(body, [day.cohort], invitation)
        assert accepted["json"]["reference"].startswith("msg-")
    assert wait_for(lambda: len(sent_invitation_refs()) == 5)


def test_a_429_then_201_is_sent_once_after_backoff(
    clinic, coordinator, in_process_worker, fake_notify
):
    day = soon_day(clinic)
    email_women(day, 1)
    fake_notify.answer_next(429)
    session_publish(session=day.session, by=coordinator)
    assert wait_for(lambda: len(fake_notify.accepted) == 1, timeout=20)
    assert wait_for(celery_idle(in_process_worker.app), timeout=20)
    assert len(fake_notify.accepted) == 1
    assert len(fake_notify.attempts) == 2
    assert wait_for(lambda: len(sent_invitation_refs()) == 1)


def test_a_400_is_not_retried_and_shows_as_failed(
    clinic, coordinator, in_process_worker, fake_notify
):
    day = soon_day(clinic)
    email_women(day, 1)
    fake_notify.answer_next(400)
    session_publish(session=day.session, by=coordinator)
    assert wait_for(
        lambda: Message.objects.filter(status=MessageStatus.REJECTED).exists(), timeout=20
    )
    assert wait_for(celery_idle(in_process_worker.app), timeout=20)
    assert len(fake_notify.attempts) == 1 and not fake_notify.accepted


def test_a_flushed_broker_loses_nothing_and_doubles_nothing(
    clinic, coordinator, broker, fake_notify
):
    from celery.contrib.testing.worker import start_worker

    from sessions.invitations.tasks import dispatch_due, plan_all

    day = soon_day(clinic)
    women = email_women(day, 8)
    session_publish(session=day.session, by=coordinator)  # queues the planner: no worker yet
    redis.Redis.from_url(broker_url()).flushdb()  # Redis loses it

    with start_worker(broker, pool="threads", concurrency=4, perform_ping_check=False):
        plan_all.delay()  # the beat's next tick finds planning_due_at
        assert wait_for(lambda: Message.objects.filter(enqueued_at__isnull=False).count() == 8)
        redis.Redis.from_url(broker_url()).flushdb()  # and again, with sends queued
        fake_notify.accepted.clear()
        assert wait_for(requeue_window_passed, timeout=10)  # MESSAGE_REQUEUE_AFTER_SECONDS
        dispatch_due.delay(scheduled=True)
        assert wait_for(lambda: len(sent_invitation_refs()) == 8, timeout=20)
        assert wait_for(celery_idle(broker), timeout=20)
    refs = fake_notify.references()
    assert len(refs) == len(set(refs))
    assert len(sent_invitation_refs()) == len(women)


def _worker_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="waitroom.settings",
        DEBUG="true",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        CONN_MAX_AGE="0",
        REDIS_URL=broker_url(),
        MESSAGE_CHANNEL="notify",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_SMS_TEMPLATE_ID=SMS_TEMPLATE,
        NOTIFY_EMAIL_TEMPLATE_ID=EMAIL_TEMPLATE,
        NOTIFY_CALLBACK_TOKEN="x" * 40,
        MESSAGE_STALE_CLAIM_SECONDS="2",
        MESSAGE_REQUEUE_AFTER_SECONDS="2",
        MESSAGE_RETRY_BASE_SECONDS="0.05",
        MESSAGE_RATE_PER_MINUTE="60000",
        LOG_LEVEL="WARNING",
    )
    return env


def start_worker_process(notify_url: str) -> subprocess.Popen:
    env = _worker_env()
    env["NOTIFY_BASE_URL"] = notify_url
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "waitroom",
            "-b",
            broker_url(),
            "worker",
            "-P",
            "prefork",
            "-c",
            "4",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("WORKER_LOG", os.devnull), "ab"),  # noqa: SIM115
    )


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_a_worker_killed_mid_batch_then_restarted_sends_every_message_exactly_once(
    clinic, coordinator, broker, fake_notify
):
    from sessions.invitations.tasks import dispatch_due

    fake_notify.delay = 0.05  # slow enough to be caught mid-batch
    day = soon_day(clinic, capacity=100)
    women = email_women(day, 60)
    worker = start_worker_process(fake_notify.url)
    try:
        session_publish(session=day.session, by=coordinator)
        assert wait_for(lambda: len(fake_notify.accepted) >= 15, timeout=30)
        kill(worker)  # SIGKILL, mid-batch: some sends claimed, in flight, or queued
        sent_before = len(fake_notify.accepted)
        assert sent_before < 60
        worker = start_worker_process(fake_notify.url)
        assert wait_for(requeue_window_passed, timeout=10)  # claims stale, queued rows due
        dispatch_due.delay(scheduled=True)  # the beat's next tick

        def all_sent() -> bool:
            if len(sent_invitation_refs()) == 60:
                return True
            dispatch_due.delay()
            return False

        assert wait_for(all_sent, timeout=40, every=1.0)
        assert wait_for(celery_idle(broker), timeout=20)
    finally:
        kill(worker)
    refs = fake_notify.references()
    assert len(refs) == len(set(refs)) == 60
    assert {m.invitation.patient_id for m in Message.objects.filter(status=MessageStatus.SENT)} == {
        w.pk for w in women
    }
