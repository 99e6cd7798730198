"""Issue 15, defect 4: what the broker loses is queued again by the dispatcher's next tick,
within a minute, without waiting for the planner or the long requeue window.

Real Redis broker (the Redis database from settings), a real Celery worker (in-process threads),
the real Notify client against the loopback fake.
"""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import connection

from sessions.invitations import tasks
from sessions.invitations.planner import plan_invitations_for_session
from sessions.invitations.sending import messages_dispatch
from sessions.models import SessionStatus
from tests.conftest import celery_on_broker
from tests.waiting import celery_idle

from .test_worker import email_women, sent_invitation_refs, soon_day, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker(notify_mode, settings):
    url = settings.REDIS_URL
    client = redis.Redis.from_url(url)
    client.flushdb()  # this test's Redis database only, never the whole Redis
    connection.settings_dict["CONN_MAX_AGE"] = 0
    # Production's long window: only noticing the loss can bring the messages back quickly.
    settings.MESSAGE_REQUEUE_AFTER_SECONDS = 600
    settings.MESSAGE_LOST_AFTER_SECONDS = 0
    with celery_on_broker(url) as app:
        yield app
    client.flushdb()


def worker(app):
    from celery.contrib.testing.worker import start_worker

    return start_worker(app, pool="threads", concurrency=4, perform_ping_check=False)


def published_day(clinic, women: int):
    day = soon_day(clinic, capacity=50)
    day.session.status = SessionStatus.PUBLISHED
    day.session.save()
    email_women(day, women)
    plan_invitations_for_session(day.session.pk)
    return day


def assert_each_sent_once(fake_notify, count: int) -> None:
    refs = fake_notify.references()
    assert len(refs) == len(set(refs)) == count


def test_sends_lost_with_a_flushed_broker_go_at_the_next_dispatcher_tick(
    clinic, broker, fake_notify
):
    published_day(clinic, 8)
    assert len(messages_dispatch().queued) == 8  # eight send tasks on the broker, no worker yet
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # Redis loses them (as on a restart)

    with worker(broker):
        tasks.dispatch_due.delay(scheduled=True)  # the beat's next tick
        assert wait_for(lambda: len(sent_invitation_refs()) == 8, timeout=20)
        assert wait_for(celery_idle(broker), timeout=20)  # a duplicate would have gone by now

    assert_each_sent_once(fake_notify, 8)


def test_sends_never_published_by_a_dispatcher_killed_mid_loop_go_at_the_next_tick(
    clinic, broker, fake_notify, monkeypatch, settings
):
    published_day(clinic, 8)
    settings.MESSAGE_SEND_BATCH = 1  # one message per send task, so it dies after three
    real_delay = tasks.send_batch.delay
    published = []

    def delay_then_die(message_ids):
        if len(published) == 3:
            raise SystemExit("killed while publishing")
        published.extend(message_ids)
        return real_delay(message_ids)

    monkeypatch.setattr(tasks.send_batch, "delay", delay_then_die)
    with pytest.raises(SystemExit):
        messages_dispatch()  # all eight marked queued, three published
    monkeypatch.undo()

    with worker(broker):
        assert wait_for(lambda: len(sent_invitation_refs()) == 3, timeout=20)
        tasks.dispatch_due.delay(scheduled=True)  # the beat's next tick
        assert wait_for(lambda: len(sent_invitation_refs()) == 8, timeout=20)
        assert wait_for(celery_idle(broker), timeout=20)

    assert_each_sent_once(fake_notify, 8)


def test_a_busy_broker_is_not_mistaken_for_a_lost_one(clinic, broker, fake_notify):
    published_day(clinic, 4)
    first = messages_dispatch()
    assert len(first.queued) == 4
    # The four tasks are still on the broker: nothing is queued twice.
    assert messages_dispatch().queued == []


def test_the_worker_counts_as_idle_only_when_no_send_is_queued_or_in_flight(
    clinic, broker, fake_notify
):
    """The 'sent once' checks above trust celery_idle: it must not say idle while a send is
    still on the broker (no worker yet) or running (the fake answers slowly)."""
    fake_notify.delay = 0.5
    published_day(clinic, 3)
    assert len(messages_dispatch().queued) == 3  # on the broker, no worker
    assert not celery_idle(broker)()

    with worker(broker):
        assert wait_for(lambda: len(fake_notify.attempts) >= 1, timeout=20)  # in flight
        assert wait_for(celery_idle(broker), timeout=20)
        assert len(sent_invitation_refs()) == 3  # idle means every row reached its end
