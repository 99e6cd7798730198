"""Exactly once with a real Celery worker on the real Redis broker: the feedback planner task run
twice (and the dispatcher running alongside) sends her one question, through the real Notify
client to the fake Notify server."""

from __future__ import annotations

import pytest
from django.db import connection

from sessions.feedback.tasks import plan_clinic
from sessions.invitations.models import Message, MessageKind, MessageStatus
from sessions.invitations.tasks import dispatch_due
from tests.conftest import celery_on_broker
from tests.waiting import celery_idle, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(notify_mode, settings):
    import redis
    from celery.contrib.testing.worker import start_worker

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()  # this run's broker database only
    connection.settings_dict["CONN_MAX_AGE"] = 0
    with (
        celery_on_broker(settings.REDIS_URL) as app,
        start_worker(
            app, pool="threads", concurrency=4, perform_ping_check=False, shutdown_timeout=10
        ) as running,
    ):
        yield running
    client.flushdb()


def test_the_planner_task_run_twice_sends_her_one_question(clinic, came, worker, fake_notify):
    import datetime as dt

    from django.utils import timezone

    from sessions.facilitation.models import Attendance
    from sessions.models import WaitingRoomSession

    # Email only: quiet hours hold texts back, and this test must pass at any hour.
    her = came(consent_sms=False)
    # Her session ended two hours ago and her appointment is over: the question is due now.
    now = timezone.now()
    WaitingRoomSession.objects.filter(pk=her.session.pk).update(
        start=now - dt.timedelta(hours=3), end=now - dt.timedelta(hours=2, minutes=15)
    )
    type(her.appointment).objects.filter(pk=her.appointment.pk).update(
        start=now - dt.timedelta(hours=3)
    )
    assert Attendance.objects.filter(patient=her.patient).exists()

    first = plan_clinic.delay(clinic.pk)
    second = plan_clinic.delay(clinic.pk)
    dispatch_due.delay()
    first.get(timeout=30)
    second.get(timeout=30)

    assert wait_until(lambda: len(fake_notify.accepted) >= 1, timeout=30)
    dispatch_due.delay()
    assert wait_until(celery_idle(worker.app), timeout=30)
    assert len(fake_notify.accepted) == 1
    sent = fake_notify.accepted[0]["json"]
    assert sent["email_address"] == her.patient.email
    message = Message.objects.get(kind=MessageKind.FEEDBACK)
    assert message.status == MessageStatus.SENT
    assert sent["reference"] == message.reference
    assert "/feedback/" in sent["personalisation"]["body"]
