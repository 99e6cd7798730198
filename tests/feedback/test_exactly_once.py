"""Exactly once with a real Celery worker on the real Redis broker: the feedback planner task run
twice (and the dispatcher running alongside) sends her one question, through the real Notify
client to the fake Notify server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sessions.facilitation.models import Attendance
from sessions.feedback.tasks import plan_clinic
from sessions.invitations.models import Message, MessageKind, MessageStatus
from sessions.invitations.tasks import dispatch_due
from sessions.models import WaitingRoomSession
from tests.waiting import celery_idle, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_planner_task_run_twice_sends_her_one_question(
    clinic, came, in_process_worker, fake_notify
):
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
    assert wait_until(celery_idle(in_process_worker.app), timeout=30)
    assert len(fake_notify.accepted) == 1
    sent = fake_notify.accepted[0]["json"]
    assert sent["email_address"] == her.patient.email
    message = Message.objects.get(kind=MessageKind.FEEDBACK)
    assert message.status == MessageStatus.SENT
    assert sent["reference"] == message.reference
    assert "/feedback/" in sent["personalisation"]["body"]
